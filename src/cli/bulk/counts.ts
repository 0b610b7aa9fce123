/** The counts of a bulk run, kept by the recorder and said by the summary. */
export interface BulkCounts {
  /** Files that finished: succeeded + failed + cancelled. */
  total: number;
  succeeded: number;
  /** Failed, cancelled not included. */
  failed: number;
  /** Cancelled while in flight (Ctrl-C, or the run stopped). */
  cancelled: number;
}
