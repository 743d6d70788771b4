/**
 * A property-list value: the subset of Apple's plist DTD that launchd jobs use.
 * Integers are JS integers; a non-integer number is a programming error.
 */
export type PlistValue = string | boolean | number | PlistValue[] | PlistDict;
export interface PlistDict {
  [key: string]: PlistValue;
}

const HEADER = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
  '<plist version="1.0">',
];

/**
 * Escapes text for an XML element body. Control characters other than tab/newline are
 * dropped (docs/behaviour.md §7.10): XML 1.0 cannot carry them and launchd rejects the file.
 */
export function escapeXmlText(s: string): string {
  const clean = s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  return clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Renders a whole plist document with tab indentation (the layout `plutil -convert xml1` writes). */
export function renderPlist(root: PlistDict): string {
  const lines = [...HEADER, ...renderValue(root, 0), '</plist>'];
  return lines.join('\n') + '\n';
}

function renderValue(v: PlistValue, depth: number): string[] {
  const pad = '\t'.repeat(depth);
  if (typeof v === 'string') return [`${pad}<string>${escapeXmlText(v)}</string>`];
  if (typeof v === 'boolean') return [`${pad}<${v ? 'true' : 'false'}/>`];
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new TypeError(`plist integers only: got ${v}`);
    return [`${pad}<integer>${v}</integer>`];
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return [`${pad}<array/>`];
    return [`${pad}<array>`, ...v.flatMap((x) => renderValue(x, depth + 1)), `${pad}</array>`];
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return [`${pad}<dict/>`];
  const body = keys.flatMap((k) => [`${pad}\t<key>${escapeXmlText(k)}</key>`, ...renderValue(v[k], depth + 1)]);
  return [`${pad}<dict>`, ...body, `${pad}</dict>`];
}
