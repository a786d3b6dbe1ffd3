//! Sparse Merkle-Patricia trie over witness nodes.
//!
//! The trie starts as a single hash (the root) and resolves nodes from the witness only where a
//! lookup or update walks. A missing node is an error naming its hash, so a witness that omits
//! what the block touches is rejected instead of silently producing a wrong root.

mod node;
#[cfg(test)]
mod tests;

use alloy_primitives::{map::B256Map, Bytes, B256};
use alloy_trie::EMPTY_ROOT_HASH;
use node::{root_hash_of, Branch, Node};

/// Witness nodes indexed by keccak256 of their RLP: indexing by hash is what checks them.
pub type NodeMap = B256Map<Bytes>;

/// Why a trie operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrieError {
    /// The walk reached a node the witness does not hold.
    #[error("witness is missing trie node {0}")]
    MissingNode(B256),
    /// A witness node did not decode as a trie node.
    #[error("witness trie node {hash} is malformed: {reason}")]
    InvalidNode {
        /// Hash of the offending node.
        hash: B256,
        /// Decoder message.
        reason: String,
    },
    /// The trie's shape contradicts fixed-length keys (a key ends inside a branch).
    #[error("trie key ends inside a branch node (keys must have equal length)")]
    KeyInBranch,
}

/// A sparse trie: resolves nodes lazily from a shared [`NodeMap`].
#[derive(Debug, Clone)]
pub struct SparseTrie {
    root: Node,
}

impl SparseTrie {
    /// Opens the trie whose root hash is `root` (the empty root gives an empty trie).
    pub fn new(root: B256) -> Self {
        let root = if root == EMPTY_ROOT_HASH {
            Node::Empty
        } else {
            Node::Hash(root)
        };
        Self { root }
    }

    /// Returns an empty trie.
    pub fn empty() -> Self {
        Self { root: Node::Empty }
    }

    /// Looks up the value stored under `key` (raw bytes, e.g. keccak of an address).
    pub fn get(&mut self, nodes: &NodeMap, key: &[u8]) -> Result<Option<Vec<u8>>, TrieError> {
        let path = to_nibbles(key);
        get(&mut self.root, nodes, &path)
    }

    /// Inserts or replaces the value stored under `key`.
    pub fn insert(&mut self, nodes: &NodeMap, key: &[u8], value: Vec<u8>) -> Result<(), TrieError> {
        let path = to_nibbles(key);
        insert(&mut self.root, nodes, &path, value)
    }

    /// Removes `key`, collapsing branches left with a single child. Removing an absent key is a
    /// no-op, but still needs the nodes on its path (they prove the absence).
    pub fn delete(&mut self, nodes: &NodeMap, key: &[u8]) -> Result<(), TrieError> {
        let path = to_nibbles(key);
        delete(&mut self.root, nodes, &path).map(|_| ())
    }

    /// Computes the root hash, reusing cached hashes of unchanged subtrees.
    pub fn root(&mut self) -> B256 {
        if matches!(self.root, Node::Empty) {
            return EMPTY_ROOT_HASH;
        }
        let mut buf = Vec::with_capacity(544);
        root_hash_of(&self.root.rlp_ref(&mut buf))
    }
}

fn to_nibbles(key: &[u8]) -> Vec<u8> {
    key.iter().flat_map(|b| [b >> 4, b & 0x0f]).collect()
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Replaces a `Hash` node in place by its decoded witness node.
fn resolve(node: &mut Node, nodes: &NodeMap) -> Result<(), TrieError> {
    if let Node::Hash(hash) = *node {
        let rlp = nodes.get(&hash).ok_or(TrieError::MissingNode(hash))?;
        *node = Node::decode_hashed(hash, rlp)?;
    }
    Ok(())
}

fn get(node: &mut Node, nodes: &NodeMap, path: &[u8]) -> Result<Option<Vec<u8>>, TrieError> {
    resolve(node, nodes)?;
    match node {
        Node::Empty => Ok(None),
        Node::Hash(_) => unreachable!("resolved above"),
        Node::Leaf(l) => Ok((l.path == path).then(|| l.value.clone())),
        Node::Extension(e) => match path.strip_prefix(e.path.as_slice()) {
            Some(rest) => get(&mut e.child, nodes, rest),
            None => Ok(None),
        },
        Node::Branch(b) => match path.split_first() {
            Some((&i, rest)) => get(&mut b.children[i as usize], nodes, rest),
            None => Err(TrieError::KeyInBranch),
        },
    }
}

fn insert(node: &mut Node, nodes: &NodeMap, path: &[u8], value: Vec<u8>) -> Result<(), TrieError> {
    resolve(node, nodes)?;
    match node {
        Node::Empty => *node = Node::leaf(path.to_vec(), value),
        Node::Hash(_) => unreachable!("resolved above"),
        Node::Leaf(l) => {
            if l.path == path {
                l.value = value;
                l.memo = None;
                return Ok(());
            }
            let common = common_prefix(&l.path, path);
            if common == l.path.len() || common == path.len() {
                return Err(TrieError::KeyInBranch);
            }
            let mut branch = Branch::default();
            let old = std::mem::take(&mut l.value);
            branch.children[l.path[common] as usize] =
                Node::leaf(l.path[common + 1..].to_vec(), old);
            branch.children[path[common] as usize] = Node::leaf(path[common + 1..].to_vec(), value);
            *node = wrap_in_extension(&path[..common], Node::Branch(Box::new(branch)));
        }
        Node::Extension(e) => {
            e.memo = None;
            let common = common_prefix(&e.path, path);
            if common == e.path.len() {
                return insert(&mut e.child, nodes, &path[common..], value);
            }
            if common == path.len() {
                return Err(TrieError::KeyInBranch);
            }
            // The new key leaves the extension part way: split it around a new branch.
            let mut branch = Branch::default();
            let rest = &e.path[common + 1..];
            let child = std::mem::take(&mut e.child);
            branch.children[e.path[common] as usize] = wrap_in_extension(rest, child);
            branch.children[path[common] as usize] = Node::leaf(path[common + 1..].to_vec(), value);
            *node = wrap_in_extension(&path[..common], Node::Branch(Box::new(branch)));
        }
        Node::Branch(b) => {
            let (&i, rest) = path.split_first().ok_or(TrieError::KeyInBranch)?;
            b.memo = None;
            insert(&mut b.children[i as usize], nodes, rest, value)?;
        }
    }
    Ok(())
}

fn wrap_in_extension(path: &[u8], child: Node) -> Node {
    if path.is_empty() {
        child
    } else {
        Node::extension(path.to_vec(), child)
    }
}

/// Deletes `path` below `node`; returns whether anything changed.
fn delete(node: &mut Node, nodes: &NodeMap, path: &[u8]) -> Result<bool, TrieError> {
    resolve(node, nodes)?;
    match node {
        Node::Empty => Ok(false),
        Node::Hash(_) => unreachable!("resolved above"),
        Node::Leaf(l) => {
            if l.path != path {
                return Ok(false);
            }
            *node = Node::Empty;
            Ok(true)
        }
        Node::Extension(e) => {
            let Some(rest) = path.strip_prefix(e.path.as_slice()) else {
                return Ok(false);
            };
            if !delete(&mut e.child, nodes, rest)? {
                return Ok(false);
            }
            let prefix = std::mem::take(&mut e.path);
            let child = std::mem::take(&mut e.child);
            *node = join_path(prefix, child);
            Ok(true)
        }
        Node::Branch(b) => {
            let (&i, rest) = path.split_first().ok_or(TrieError::KeyInBranch)?;
            if !delete(&mut b.children[i as usize], nodes, rest)? {
                return Ok(false);
            }
            b.memo = None;
            let mut live = b
                .children
                .iter()
                .enumerate()
                .filter(|(_, c)| !matches!(c, Node::Empty));
            let only = match (live.next(), live.next()) {
                (None, _) => None,
                (Some((idx, _)), None) => Some(idx),
                _ => return Ok(true),
            };
            // A branch left with one child must collapse; the child may still be a hash, and
            // then the witness has to provide it (the classic "sibling node" requirement).
            *node = match only {
                None => Node::Empty,
                Some(idx) => {
                    let mut child = std::mem::take(&mut b.children[idx]);
                    resolve(&mut child, nodes)?;
                    join_path(vec![idx as u8], child)
                }
            };
            Ok(true)
        }
    }
}

/// Puts `prefix` in front of `child`, merging with a leaf or extension child.
fn join_path(mut prefix: Vec<u8>, child: Node) -> Node {
    match child {
        Node::Empty => Node::Empty,
        Node::Leaf(l) => {
            prefix.extend_from_slice(&l.path);
            Node::leaf(prefix, l.value)
        }
        Node::Extension(e) => {
            prefix.extend_from_slice(&e.path);
            Node::extension(prefix, e.child)
        }
        branch_or_hash => Node::extension(prefix, branch_or_hash),
    }
}

#[cfg(test)]
impl SparseTrie {
    /// Test helper: the witness nodes that fully describe this trie.
    pub(crate) fn collect_nodes(&mut self) -> NodeMap {
        let mut out = NodeMap::default();
        self.root.collect(&mut out, true);
        out
    }
}
