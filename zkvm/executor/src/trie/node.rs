//! In-memory trie nodes: either resolved (decoded) or a hash still pointing into the witness.

use alloy_primitives::{keccak256, B256};
use alloy_rlp::{Decodable, Encodable, EMPTY_STRING_CODE};
use alloy_trie::{
    nodes::{BranchNodeRef, ExtensionNodeRef, LeafNodeRef, RlpNode, TrieNode},
    Nibbles, TrieMask,
};

use super::TrieError;

/// A node of the sparse trie. `Hash` marks a subtree we have not needed yet: it stays a hash
/// until a lookup or update walks into it, so untouched parts of the witness are never decoded.
#[derive(Debug, Clone, Default)]
pub(crate) enum Node {
    #[default]
    Empty,
    Hash(B256),
    Leaf(Box<Leaf>),
    Extension(Box<Extension>),
    Branch(Box<Branch>),
}

/// Leaf: the rest of the key (nibbles) and the RLP value stored there.
#[derive(Debug, Clone)]
pub(crate) struct Leaf {
    pub path: Vec<u8>,
    pub value: Vec<u8>,
    pub memo: Option<RlpNode>,
}

/// Extension: a shared key segment leading to a single (branch) child.
#[derive(Debug, Clone)]
pub(crate) struct Extension {
    pub path: Vec<u8>,
    pub child: Node,
    pub memo: Option<RlpNode>,
}

/// Branch: sixteen children; Ethereum tries never store a value in a branch (fixed-length keys).
#[derive(Debug, Clone, Default)]
pub(crate) struct Branch {
    pub children: [Node; 16],
    pub memo: Option<RlpNode>,
}

impl Node {
    /// Builds a leaf with no cached encoding.
    pub fn leaf(path: Vec<u8>, value: Vec<u8>) -> Self {
        Node::Leaf(Box::new(Leaf {
            path,
            value,
            memo: None,
        }))
    }

    /// Builds an extension with no cached encoding.
    pub fn extension(path: Vec<u8>, child: Node) -> Self {
        Node::Extension(Box::new(Extension {
            path,
            child,
            memo: None,
        }))
    }

    /// Decodes a node referenced by `hash` whose RLP is `rlp`; the memo records the hash we
    /// already know so an unchanged node is never re-hashed.
    pub fn decode_hashed(hash: B256, rlp: &[u8]) -> Result<Self, TrieError> {
        let mut node = decode_inner(rlp).map_err(|e| TrieError::InvalidNode {
            hash,
            reason: e.to_string(),
        })?;
        node.set_memo(RlpNode::word_rlp(&hash));
        Ok(node)
    }

    fn set_memo(&mut self, memo: RlpNode) {
        match self {
            Node::Leaf(l) => l.memo = Some(memo),
            Node::Extension(e) => e.memo = Some(memo),
            Node::Branch(b) => b.memo = Some(memo),
            Node::Empty | Node::Hash(_) => {}
        }
    }

    /// Returns the reference a parent stores for this node: the RLP itself when shorter than
    /// 32 bytes, else the RLP of its keccak hash. Caches the result in changed nodes.
    pub fn rlp_ref(&mut self, buf: &mut Vec<u8>) -> RlpNode {
        let memo = match self {
            Node::Empty => return RlpNode::from_raw(&[EMPTY_STRING_CODE]).expect("1 byte"),
            Node::Hash(h) => return RlpNode::word_rlp(h),
            Node::Leaf(l) => &l.memo,
            Node::Extension(e) => &e.memo,
            Node::Branch(b) => &b.memo,
        };
        if let Some(m) = memo {
            return m.clone();
        }
        self.encode(buf);
        let r = RlpNode::from_rlp(buf);
        self.set_memo(r.clone());
        r
    }

    /// Writes this node's full RLP into `buf` (cleared first); children become references.
    pub fn encode(&mut self, buf: &mut Vec<u8>) {
        match self {
            Node::Empty | Node::Hash(_) => {
                buf.clear();
                buf.push(EMPTY_STRING_CODE);
            }
            Node::Leaf(l) => {
                let key = Nibbles::from_nibbles_unchecked(&l.path);
                buf.clear();
                LeafNodeRef::new(&key, &l.value).encode(buf);
            }
            Node::Extension(e) => {
                let child = e.child.rlp_ref(buf);
                let key = Nibbles::from_nibbles_unchecked(&e.path);
                buf.clear();
                ExtensionNodeRef::new(&key, &child).encode(buf);
            }
            Node::Branch(b) => {
                let mut stack = Vec::with_capacity(16);
                let mut mask = TrieMask::default();
                for (i, child) in b.children.iter_mut().enumerate() {
                    if !matches!(child, Node::Empty) {
                        stack.push(child.rlp_ref(buf));
                        mask.set_bit(i as u8);
                    }
                }
                buf.clear();
                BranchNodeRef::new(&stack, mask).encode(buf);
            }
        }
    }

    /// Test helper: stores every hash-referenced node below (and including) this one.
    #[cfg(test)]
    pub fn collect(&mut self, out: &mut super::NodeMap, is_root: bool) {
        let mut buf = Vec::new();
        match self {
            Node::Empty | Node::Hash(_) => return,
            Node::Leaf(_) => {}
            Node::Extension(e) => e.child.collect(out, false),
            Node::Branch(b) => b.children.iter_mut().for_each(|c| c.collect(out, false)),
        }
        self.encode(&mut buf);
        if is_root || buf.len() >= 32 {
            out.insert(keccak256(&buf), buf.into());
        }
    }
}

/// Decodes one node's RLP; children shorter than 32 bytes are embedded and decoded in place.
fn decode_inner(rlp: &[u8]) -> Result<Node, alloy_rlp::Error> {
    let mut slice = rlp;
    let node = TrieNode::decode(&mut slice)?;
    if !slice.is_empty() {
        return Err(alloy_rlp::Error::Custom("trailing bytes after trie node"));
    }
    Ok(match node {
        TrieNode::EmptyRoot => Node::Empty,
        TrieNode::Leaf(l) => Node::leaf(l.key.to_vec(), l.value),
        TrieNode::Extension(e) => {
            if e.key.is_empty() {
                return Err(alloy_rlp::Error::Custom("extension with empty key"));
            }
            Node::extension(e.key.to_vec(), child_from_ref(&e.child)?)
        }
        TrieNode::Branch(b) => {
            let mut branch = Branch::default();
            let mut stack = b.stack.iter();
            for i in 0..16u8 {
                if b.state_mask.is_bit_set(i) {
                    let child = stack
                        .next()
                        .ok_or(alloy_rlp::Error::Custom("branch mask"))?;
                    branch.children[i as usize] = child_from_ref(child)?;
                }
            }
            Node::Branch(Box::new(branch))
        }
    })
}

/// Turns a child reference (hash or embedded node) into a node.
fn child_from_ref(child: &RlpNode) -> Result<Node, alloy_rlp::Error> {
    if let Some(hash) = child.as_hash() {
        return Ok(Node::Hash(hash));
    }
    let mut node = decode_inner(child)?;
    if matches!(node, Node::Empty) {
        return Err(alloy_rlp::Error::Custom("empty embedded child"));
    }
    node.set_memo(child.clone());
    Ok(node)
}

/// Hash of a root reference: the root is always hashed, even when its RLP is short.
pub(crate) fn root_hash_of(r: &RlpNode) -> B256 {
    r.as_hash().unwrap_or_else(|| keccak256(r.as_slice()))
}
