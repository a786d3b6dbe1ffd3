// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Ownable} from "openzeppelin/contracts/access/Ownable.sol";
import {SafeCast} from "openzeppelin/contracts/utils/math/SafeCast.sol";
import {IRiscZeroVerifier} from "risc0/IRiscZeroVerifier.sol";

/// @title OnChainProposer
/// @notice Settles an L2's batches on L1: a committer posts each batch (block range, last block
///         hash, state root) in order; a verifier account proves them with RISC Zero seals. The
///         journal a seal must prove is rebuilt here from what was committed, never taken from the
///         caller, so a proof only verifies for the exact state transition that was committed.
contract OnChainProposer is Ownable {
    /// @notice What was committed for one batch (batch 0: the deployment's genesis).
    struct Batch {
        uint64 firstBlock;
        uint64 lastBlock;
        bytes32 lastBlockHash;
        bytes32 stateRoot;
    }

    /// @notice Domain tag of the rules digest (journal v2).
    string public constant RULES_TAG = "l2-prover/rules/v1";

    /// @notice Chain id of the L2, committed in every journal.
    uint256 public immutable chainId;

    IRiscZeroVerifier public verifier;
    bytes32 public imageId;
    bytes32 public rulesDigest;
    address public committer;
    address public verifierAccount;
    uint256 public lastCommittedBatch;
    uint256 public lastVerifiedBatch;
    mapping(uint256 => Batch) public batches;

    event BatchCommitted(uint256 indexed batch, uint256 firstBlock, uint256 lastBlock, bytes32 stateRoot);
    event BatchesVerified(uint256 firstBatch, uint256 lastBatch);
    event VerifierChanged(address verifier);
    event ImageIdChanged(bytes32 imageId);
    event RulesDigestChanged(bytes32 rulesDigest);
    event CommitterChanged(address committer);
    event VerifierAccountChanged(address verifierAccount);

    /// @notice The caller is not the committer account.
    error NotCommitter(address caller);
    /// @notice The caller is not the verifier account.
    error NotVerifierAccount(address caller);
    /// @notice The committer and the verifier account must be different accounts.
    error SameCommitterAndVerifier(address account);
    /// @notice A zero address where an account or contract is required.
    error ZeroAddress();
    /// @notice commitBatch got a batch number other than lastCommittedBatch + 1.
    error BatchOutOfOrder(uint256 expected, uint256 got);
    /// @notice commitBatch got a first block other than the previous batch's last block + 1.
    error BlocksNotContiguous(uint256 expectedFirstBlock, uint256 got);
    /// @notice commitBatch got lastBlock < firstBlock.
    error EmptyBlockRange(uint256 firstBlock, uint256 lastBlock);
    /// @notice verifyBatches got a first batch other than lastVerifiedBatch + 1.
    error VerifyOutOfOrder(uint256 expected, uint256 got);
    /// @notice verifyBatches got no seal.
    error NoSeals();
    /// @notice verifyBatches reached a batch that is not committed yet.
    error BatchNotCommitted(uint256 batch);
    /// @notice The verifier rejected the seal of `batch`; `reason` is the verifier's revert data.
    error InvalidProof(uint256 batch, bytes reason);

    constructor(
        address owner_,
        address committer_,
        address verifierAccount_,
        IRiscZeroVerifier verifier_,
        bytes32 imageId_,
        bytes32 rulesDigest_,
        uint256 chainId_,
        uint256 genesisBlock,
        bytes32 genesisBlockHash,
        bytes32 genesisStateRoot
    ) Ownable(owner_) {
        if (committer_ == address(0) || verifierAccount_ == address(0) || address(verifier_) == address(0)) {
            revert ZeroAddress();
        }
        if (committer_ == verifierAccount_) revert SameCommitterAndVerifier(committer_);
        committer = committer_;
        verifierAccount = verifierAccount_;
        verifier = verifier_;
        imageId = imageId_;
        rulesDigest = rulesDigest_;
        chainId = chainId_;
        uint64 g = SafeCast.toUint64(genesisBlock);
        batches[0] = Batch({firstBlock: g, lastBlock: g, lastBlockHash: genesisBlockHash, stateRoot: genesisStateRoot});
    }

    /// @notice Posts batch `batchNumber` (blocks firstBlock..lastBlock): committer only, in order.
    function commitBatch(
        uint256 batchNumber,
        uint256 firstBlock,
        uint256 lastBlock,
        bytes32 newStateRoot,
        bytes32 lastBlockHash
    ) external {
        if (msg.sender != committer) revert NotCommitter(msg.sender);
        uint256 last = lastCommittedBatch;
        if (batchNumber != last + 1) revert BatchOutOfOrder(last + 1, batchNumber);
        uint256 expectedFirst = uint256(batches[last].lastBlock) + 1;
        if (firstBlock != expectedFirst) revert BlocksNotContiguous(expectedFirst, firstBlock);
        if (lastBlock < firstBlock) revert EmptyBlockRange(firstBlock, lastBlock);
        batches[batchNumber] = Batch({
            firstBlock: SafeCast.toUint64(firstBlock),
            lastBlock: SafeCast.toUint64(lastBlock),
            lastBlockHash: lastBlockHash,
            stateRoot: newStateRoot
        });
        lastCommittedBatch = batchNumber;
        emit BatchCommitted(batchNumber, firstBlock, lastBlock, newStateRoot);
    }

    /// @notice Verifies batches firstBatch..firstBatch+seals.length-1 in order: verifier account only.
    function verifyBatches(uint256 firstBatch, bytes[] calldata seals) external {
        if (msg.sender != verifierAccount) revert NotVerifierAccount(msg.sender);
        uint256 n = seals.length;
        if (n == 0) revert NoSeals();
        uint256 expected = lastVerifiedBatch + 1;
        if (firstBatch != expected) revert VerifyOutOfOrder(expected, firstBatch);
        uint256 lastBatch = firstBatch + n - 1;
        if (lastBatch > lastCommittedBatch) revert BatchNotCommitted(lastCommittedBatch + 1);
        IRiscZeroVerifier v = verifier;
        bytes32 image = imageId;
        for (uint256 i = 0; i < n; i++) {
            uint256 batch = firstBatch + i;
            try v.verify(seals[i], image, sha256(journalOf(batch))) {}
            catch (bytes memory reason) {
                revert InvalidProof(batch, reason);
            }
        }
        lastVerifiedBatch = lastBatch;
        emit BatchesVerified(firstBatch, lastBatch);
    }

    /// @notice The journal v2 a seal of committed batch `batch` (>= 1) must prove.
    function journalOf(uint256 batch) public view returns (bytes memory) {
        if (batch == 0 || batch > lastCommittedBatch) revert BatchNotCommitted(batch);
        Batch storage prev = batches[batch - 1];
        Batch storage b = batches[batch];
        return abi.encode(
            chainId,
            uint256(b.firstBlock),
            uint256(b.lastBlock),
            prev.lastBlockHash,
            prev.stateRoot,
            b.stateRoot,
            b.lastBlockHash,
            rulesDigest
        );
    }

    /// @notice The rules digest of a fork and its quirks (quirks sorted ascending, deduplicated).
    function rulesDigestOf(string calldata fork, string[] calldata quirks) external pure returns (bytes32) {
        return keccak256(abi.encode(RULES_TAG, fork, quirks));
    }

    /// @notice Owner: the verifier contract (risc0's router, or a verifier) seals are checked by.
    function setVerifier(IRiscZeroVerifier verifier_) external onlyOwner {
        if (address(verifier_) == address(0)) revert ZeroAddress();
        verifier = verifier_;
        emit VerifierChanged(address(verifier_));
    }

    /// @notice Owner: the image id of the guest whose proofs are accepted.
    function setImageId(bytes32 imageId_) external onlyOwner {
        imageId = imageId_;
        emit ImageIdChanged(imageId_);
    }

    /// @notice Owner: the one rules digest (fork, quirks) accepted.
    function setRulesDigest(bytes32 rulesDigest_) external onlyOwner {
        rulesDigest = rulesDigest_;
        emit RulesDigestChanged(rulesDigest_);
    }

    /// @notice Owner: the account allowed to commit batches.
    function setCommitter(address committer_) external onlyOwner {
        if (committer_ == address(0)) revert ZeroAddress();
        if (committer_ == verifierAccount) revert SameCommitterAndVerifier(committer_);
        committer = committer_;
        emit CommitterChanged(committer_);
    }

    /// @notice Owner: the account allowed to verify batches.
    function setVerifierAccount(address verifierAccount_) external onlyOwner {
        if (verifierAccount_ == address(0)) revert ZeroAddress();
        if (verifierAccount_ == committer) revert SameCommitterAndVerifier(verifierAccount_);
        verifierAccount = verifierAccount_;
        emit VerifierAccountChanged(verifierAccount_);
    }
}
