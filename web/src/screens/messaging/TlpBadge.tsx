/** A TLP label as text (never colour alone). */
import { TLP_CLASS, tlpLabel } from './types.ts';

export function TlpBadge({ tlp }: { tlp: string }) {
  return <span className={`rounded border px-1.5 text-xs font-semibold ${TLP_CLASS[tlp] ?? TLP_CLASS.clear}`}>{tlpLabel(tlp)}</span>;
}
