import type { SegmentExpression } from "../segment-query";

/** A customer segment: a name and a segment-language query, parsed once when saved. */
export interface SegmentRecord {
  id: string;
  name: string;
  query: string;
  expression: SegmentExpression;
  creationDate: string;
  lastEditDate: string;
}
