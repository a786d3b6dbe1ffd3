use super::*;
use alloy_primitives::{keccak256, map::B256Map};
use alloy_trie::{root::ordered_trie_root, HashBuilder, Nibbles};
use std::collections::BTreeMap;

/// Deterministic xorshift so failures reproduce without a rand dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn reference_root(map: &BTreeMap<Vec<u8>, Vec<u8>>) -> B256 {
    let mut hb = HashBuilder::default();
    for (k, v) in map {
        hb.add_leaf(Nibbles::unpack(k), v);
    }
    hb.root()
}

fn build(map: &BTreeMap<Vec<u8>, Vec<u8>>) -> SparseTrie {
    let mut t = SparseTrie::empty();
    let none = NodeMap::default();
    for (k, v) in map {
        t.insert(&none, k, v.clone()).unwrap();
    }
    t
}

fn key(b: u8, rest: &[u8]) -> Vec<u8> {
    let mut k = vec![b];
    k.extend_from_slice(rest);
    k.resize(32, 0);
    k
}

#[test]
fn empty_trie_has_empty_root() {
    assert_eq!(SparseTrie::empty().root(), EMPTY_ROOT_HASH);
    assert_eq!(SparseTrie::new(EMPTY_ROOT_HASH).root(), EMPTY_ROOT_HASH);
}

#[test]
fn insert_update_get() {
    let none = NodeMap::default();
    let mut t = SparseTrie::empty();
    let k = keccak256(b"a").to_vec();
    t.insert(&none, &k, vec![1]).unwrap();
    assert_eq!(t.get(&none, &k).unwrap(), Some(vec![1]));
    t.insert(&none, &k, vec![2, 3]).unwrap();
    assert_eq!(t.get(&none, &k).unwrap(), Some(vec![2, 3]));
    assert_eq!(t.get(&none, keccak256(b"b").as_slice()).unwrap(), None);
    let mut m = BTreeMap::new();
    m.insert(k, vec![2, 3]);
    assert_eq!(t.root(), reference_root(&m));
}

#[test]
fn random_sets_match_hash_builder() {
    let mut rng = Rng(0x9e3779b97f4a7c15);
    for round in 0..60 {
        let n = 1 + (rng.next() % 300) as usize;
        let mut m = BTreeMap::new();
        for _ in 0..n {
            // Mix short values (embedded nodes) and long ones (hashed nodes).
            let vlen = 1 + (rng.next() % 40) as usize;
            m.insert(keccak256(rng.bytes(8)).to_vec(), rng.bytes(vlen));
        }
        let mut t = build(&m);
        assert_eq!(t.root(), reference_root(&m), "round {round}");
    }
}

#[test]
fn ordered_trie_root_matches() {
    // Receipts/transactions tries use rlp(index) keys: short, variable-length, prefix-free.
    let items: Vec<Vec<u8>> = (0..200u32)
        .map(|i| vec![i as u8; 1 + (i % 50) as usize])
        .collect();
    let mut t = SparseTrie::empty();
    let none = NodeMap::default();
    for (i, it) in items.iter().enumerate() {
        t.insert(&none, &alloy_rlp::encode(i), alloy_rlp::encode(it))
            .unwrap();
    }
    assert_eq!(t.root(), ordered_trie_root(&items));
}

#[test]
fn sparse_updates_and_deletes_match_full_rebuild() {
    let mut rng = Rng(42);
    for round in 0..40 {
        let n = 2 + (rng.next() % 200) as usize;
        let mut m = BTreeMap::new();
        for _ in 0..n {
            m.insert(keccak256(rng.bytes(8)).to_vec(), {
                let n = 1 + (rng.next() % 40) as usize;
                rng.bytes(n)
            });
        }
        let mut full = build(&m);
        let root = full.root();
        let nodes = full.collect_nodes();

        let mut sparse = SparseTrie::new(root);
        let keys: Vec<_> = m.keys().cloned().collect();
        for _ in 0..(1 + rng.next() % 20) {
            let k = &keys[(rng.next() % keys.len() as u64) as usize];
            match rng.next() % 3 {
                0 => {
                    sparse.delete(&nodes, k).unwrap();
                    m.remove(k);
                }
                1 => {
                    let v = {
                        let n = 1 + (rng.next() % 40) as usize;
                        rng.bytes(n)
                    };
                    sparse.insert(&nodes, k, v.clone()).unwrap();
                    m.insert(k.clone(), v);
                }
                _ => {
                    let k = keccak256(rng.bytes(8)).to_vec();
                    sparse.insert(&nodes, &k, vec![7; 33]).unwrap();
                    m.insert(k, vec![7; 33]);
                }
            }
        }
        assert_eq!(sparse.root(), reference_root(&m), "round {round}");
    }
}

#[test]
fn delete_everything_gives_empty_root() {
    let mut rng = Rng(7);
    let mut m = BTreeMap::new();
    for _ in 0..50 {
        m.insert(keccak256(rng.bytes(8)).to_vec(), rng.bytes(20));
    }
    let mut full = build(&m);
    let root = full.root();
    let nodes = full.collect_nodes();
    let mut sparse = SparseTrie::new(root);
    for k in m.keys() {
        sparse.delete(&nodes, k).unwrap();
    }
    assert_eq!(sparse.root(), EMPTY_ROOT_HASH);
}

#[test]
fn delete_absent_key_is_noop() {
    let mut m = BTreeMap::new();
    m.insert(key(0x12, &[1]), vec![1; 40]);
    m.insert(key(0x34, &[1]), vec![2; 40]);
    let mut full = build(&m);
    let root = full.root();
    let nodes = full.collect_nodes();
    let mut sparse = SparseTrie::new(root);
    sparse.delete(&nodes, &key(0x56, &[])).unwrap();
    sparse.delete(&nodes, &key(0x12, &[2])).unwrap();
    assert_eq!(sparse.root(), root);
}

#[test]
fn branch_collapses_into_leaf() {
    // Two keys diverging at the first nibble: root is a branch; deleting one leaves a leaf.
    let mut m = BTreeMap::new();
    m.insert(key(0x10, &[]), vec![1; 40]);
    m.insert(key(0x20, &[]), vec![2; 40]);
    let mut full = build(&m);
    let root = full.root();
    let nodes = full.collect_nodes();
    let mut sparse = SparseTrie::new(root);
    sparse.delete(&nodes, &key(0x10, &[])).unwrap();
    m.remove(&key(0x10, &[]));
    assert_eq!(sparse.root(), reference_root(&m));
    assert!(matches!(sparse.root, Node::Leaf(_)));
}

#[test]
fn branch_collapses_into_extension() {
    // Keys 0x1a.., 0x1b.. share nibble 1 (an extension over a branch); 0x2.. sits beside them.
    // Deleting 0x2.. leaves the root branch with one child, which must merge into an extension.
    let mut m = BTreeMap::new();
    m.insert(key(0x1a, &[]), vec![1; 40]);
    m.insert(key(0x1b, &[]), vec![2; 40]);
    m.insert(key(0x20, &[]), vec![3; 40]);
    let mut full = build(&m);
    let root = full.root();
    let nodes = full.collect_nodes();
    let mut sparse = SparseTrie::new(root);
    sparse.delete(&nodes, &key(0x20, &[])).unwrap();
    m.remove(&key(0x20, &[]));
    assert_eq!(sparse.root(), reference_root(&m));
    assert!(matches!(sparse.root, Node::Extension(_)));
}

#[test]
fn extension_merges_with_collapsed_child() {
    // 0xab1.., 0xab2.. under extension "ab"; deleting one merges extension + leaf into a leaf.
    let mut m = BTreeMap::new();
    m.insert(key(0xab, &[0x10]), vec![1; 40]);
    m.insert(key(0xab, &[0x20]), vec![2; 40]);
    let mut full = build(&m);
    let root = full.root();
    let nodes = full.collect_nodes();
    let mut sparse = SparseTrie::new(root);
    sparse.delete(&nodes, &key(0xab, &[0x10])).unwrap();
    m.remove(&key(0xab, &[0x10]));
    assert_eq!(sparse.root(), reference_root(&m));
    assert!(matches!(sparse.root, Node::Leaf(_)));
}

#[test]
fn collapse_needs_sibling_from_witness() {
    let mut m = BTreeMap::new();
    m.insert(key(0x10, &[]), vec![1; 40]);
    m.insert(key(0x20, &[]), vec![2; 40]);
    let mut full = build(&m);
    let root = full.root();
    let mut nodes = full.collect_nodes();
    // Drop the sibling leaf (the 0x2.. one): the walk to 0x1.. never needs it, the collapse does.
    let mut sibling = Node::leaf(to_nibbles(&key(0x20, &[]))[1..].to_vec(), vec![2; 40]);
    let mut buf = Vec::new();
    sibling.encode(&mut buf);
    let sibling_hash = keccak256(&buf);
    assert!(nodes.remove(&sibling_hash).is_some());
    let mut sparse = SparseTrie::new(root);
    let err = sparse.delete(&nodes, &key(0x10, &[])).unwrap_err();
    assert_eq!(err, TrieError::MissingNode(sibling_hash));
}

#[test]
fn missing_and_malformed_nodes_are_errors() {
    let root = keccak256(b"nothing");
    let mut t = SparseTrie::new(root);
    assert_eq!(
        t.get(&B256Map::default(), &[0; 32]).unwrap_err(),
        TrieError::MissingNode(root)
    );
    let mut nodes = NodeMap::default();
    nodes.insert(root, Bytes::from_static(&[0xc3, 0x01, 0x02, 0x03]));
    assert!(matches!(
        t.get(&nodes, &[0; 32]).unwrap_err(),
        TrieError::InvalidNode { .. }
    ));
}
