/** The zkVM host driver: runs zkvm-host (docs/zkvm-host.md) and decodes what it returns. */
export { killHostGroups, runHost } from "./driver.ts";
export type { HostBackend, ReceiptKind, RunHostOptions } from "./driver.ts";
export {
  BackendUnavailableError,
  HostAbortedError,
  HostBadInputError,
  HostCrashError,
  HostError,
  InvalidBlockError,
} from "./errors.ts";
export type { HostErrorInfo } from "./errors.ts";
export { parseHostResult } from "./result.ts";
export type {
  HostBatch,
  HostBlock,
  HostCycles,
  HostMode,
  HostProgress,
  HostResult,
} from "./result.ts";
export {
  decodeJournal,
  encodeJournal,
  JOURNAL_BYTES,
  JournalDecodeError,
  journalDigest,
} from "../protocol/journal.ts";
export type { Journal } from "../protocol/journal.ts";
export { BUILD_HINT, defaultHostBin, hostBinExists, hostBinLabel, resolveHostBin } from "./bin.ts";
export { hostImageId, verifyReceipt } from "./verify.ts";
export { provingEnv } from "./proving_env.ts";
export type { ProvingSettings } from "./proving_env.ts";
export type { ReceiptToVerify, VerifyOptions } from "./verify.ts";
export { claimDigest, isMockSeal, MOCK_SELECTOR, mockSeal, sealSelector } from "./seal.ts";
export { resolveImageId, ZERO_IMAGE_ID } from "./image_id.ts";
