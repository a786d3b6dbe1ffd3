// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Storage-heavy calls for the local transaction generator (lib/devnet/txgen.ts): each fill(n)
/// writes n fresh slots and rewrites every slot of an earlier call, so proved blocks carry large
/// storage witnesses (many trie nodes, inserts and updates). Not for any real chain.
contract StorageFill {
    uint256 public next;
    mapping(uint256 => uint256) public slots;

    /// Writes slots next..next+n-1 with the block number and rewrites the n slots before them.
    function fill(uint256 n) external {
        uint256 start = next;
        for (uint256 i = 0; i < n; i++) {
            slots[start + i] = block.number;
            if (start >= n) slots[start - n + i] += 1;
        }
        next = start + n;
    }
}
