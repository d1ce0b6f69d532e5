import type { SbomLicense } from './model.js';

/**
 * A distribution's license from its core metadata (METADATA / PKG-INFO): PEP 639's
 * `License-Expression` when there is one; else the trove classifiers `License :: ...` that name an
 * SPDX license; else a `License` field that is a well-known name; else the field's text, which SBOMs
 * carry as a name, not as an expression. Pure.
 */
export function parseMetadataLicense(metadata: string): SbomLicense | undefined {
  const headers = parseMetadataHeaders(metadata);
  const expression = headers.get('license-expression')?.[0]?.trim();
  if (expression && isLicenseExpression(expression)) return { expression };
  const fromClassifiers = [...new Set((headers.get('classifier') ?? []).map((c) => CLASSIFIERS[c.trim()]).filter((x): x is string => x !== undefined))].sort();
  if (fromClassifiers.length) return { expression: fromClassifiers.length === 1 ? fromClassifiers[0]! : fromClassifiers.join(' OR ') };
  const field = headers.get('license')?.[0]?.trim();
  if (!field || /^unknown$/i.test(field)) return undefined;
  const known = WELL_KNOWN[field.toLowerCase()];
  if (known) return { expression: known };
  if (isLicenseExpression(field) && /^[A-Za-z0-9.+-]+$/.test(field) && SPDX_IDS.has(field)) return { expression: field };
  const first = field.split('\n')[0]!.trim();
  return { text: first.length > 200 ? `${first.slice(0, 197)}...` : first };
}

/**
 * The header fields of core metadata (RFC 822 style, as email.parser reads them): name → values,
 * names lowercased; continuation lines joined with newlines; stops at the first blank line (the body).
 */
export function parseMetadataHeaders(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let last: { name: string; index: number } | undefined;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (line === '') break;
    if (/^[ \t]/.test(line) && last) {
      const values = out.get(last.name)!;
      values[last.index] = `${values[last.index]}\n${line.replace(/^[ \t]+\|?/, '')}`;
      continue;
    }
    const m = /^([A-Za-z0-9-]+):[ \t]?(.*)$/.exec(line);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    const values = out.get(name) ?? [];
    values.push(m[2]!);
    out.set(name, values);
    last = { name, index: values.length - 1 };
  }
  return out;
}

/** The shape of an SPDX expression (ids, LicenseRef-, WITH, AND, OR, parentheses); not a check of the ids. */
export function isLicenseExpression(text: string): boolean {
  if (text.length > 200 || !/^[A-Za-z0-9.+:() -]+$/.test(text)) return false;
  const tokens = text.replace(/[()]/g, ' ').split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return false;
  for (const [i, t] of tokens.entries()) {
    const operator = t === 'AND' || t === 'OR' || t === 'WITH';
    if (operator !== (i % 2 === 1)) return false;
  }
  return tokens.length % 2 === 1;
}

const SPDX_IDS = new Set(['MIT', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC', 'PSF-2.0', 'MPL-2.0', 'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-only', 'GPL-3.0-or-later', 'LGPL-2.1-only', 'LGPL-2.1-or-later', 'LGPL-3.0-only', 'LGPL-3.0-or-later', 'AGPL-3.0-only', 'AGPL-3.0-or-later', 'Unlicense', 'Zlib', 'CC0-1.0', '0BSD', 'EPL-2.0', 'MIT-0', 'BSL-1.0']);

/** Trove license classifiers that name exactly one SPDX license. */
const CLASSIFIERS: Record<string, string> = {
  'License :: OSI Approved :: MIT License': 'MIT',
  'License :: OSI Approved :: MIT No Attribution License (MIT-0)': 'MIT-0',
  'License :: OSI Approved :: Apache Software License': 'Apache-2.0',
  'License :: OSI Approved :: BSD License': 'BSD-3-Clause',
  'License :: OSI Approved :: ISC License (ISCL)': 'ISC',
  'License :: OSI Approved :: Python Software Foundation License': 'PSF-2.0',
  'License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'License :: OSI Approved :: GNU General Public License v2 (GPLv2)': 'GPL-2.0-only',
  'License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)': 'GPL-2.0-or-later',
  'License :: OSI Approved :: GNU General Public License v3 (GPLv3)': 'GPL-3.0-only',
  'License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)': 'GPL-3.0-or-later',
  'License :: OSI Approved :: GNU Lesser General Public License v2 (LGPLv2)': 'LGPL-2.0-only',
  'License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)': 'LGPL-2.0-or-later',
  'License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0-only',
  'License :: OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)': 'LGPL-3.0-or-later',
  'License :: OSI Approved :: GNU Affero General Public License v3': 'AGPL-3.0-only',
  'License :: OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)': 'AGPL-3.0-or-later',
  'License :: OSI Approved :: The Unlicense (Unlicense)': 'Unlicense',
  'License :: OSI Approved :: zlib/libpng License': 'Zlib',
  'License :: OSI Approved :: Boost Software License 1.0 (BSL-1.0)': 'BSL-1.0',
  'License :: OSI Approved :: Eclipse Public License 2.0 (EPL-2.0)': 'EPL-2.0',
  'License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication': 'CC0-1.0',
};

/** `License:` values that are common spellings of one SPDX license. */
const WELL_KNOWN: Record<string, string> = {
  mit: 'MIT',
  'mit license': 'MIT',
  'apache 2.0': 'Apache-2.0',
  'apache-2.0': 'Apache-2.0',
  'apache license 2.0': 'Apache-2.0',
  'apache license, version 2.0': 'Apache-2.0',
  'apache software license': 'Apache-2.0',
  'bsd-3-clause': 'BSD-3-Clause',
  'new bsd license': 'BSD-3-Clause',
  'bsd 3-clause': 'BSD-3-Clause',
  'bsd-2-clause': 'BSD-2-Clause',
  isc: 'ISC',
  'mpl-2.0': 'MPL-2.0',
  psf: 'PSF-2.0',
  'psf-2.0': 'PSF-2.0',
};
