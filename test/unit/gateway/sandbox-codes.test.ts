// The simulator speaks only codes the response-code tables know: its catalogues and every respCode literal in
// its source, so a test against the sandbox never exercises a code the client would read as "unknown".
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  PAYMENT_ACTION_RESULT_CODES,
  PGW_RESPONSE_CODES,
  RPP_RESULT_CODES,
} from '../../../src/domain/response-codes.js';
import { ACTION_CODES, PGW_CODES } from '../../../src/sandbox/codes.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every `respCode: '…'` / `respCode = '…'` literal in the sandbox's source, as "file: code". */
function literalCodes(): Array<{ where: string; code: string }> {
  return sourceFiles('src/sandbox').flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/respCode\s*[:=]\s*'(\d+)'/g)].map((m) => ({
      where: file,
      code: m[1] ?? '',
    })),
  );
}

describe('sandbox codes', () => {
  it('when the sandbox answers a PaymentAction or RPP request, then its code is in both 2-digit tables', () => {
    const unknown = Object.keys(ACTION_CODES).filter(
      (code) => !PAYMENT_ACTION_RESULT_CODES.has(code) || !RPP_RESULT_CODES.has(code),
    );
    assert.deepEqual(unknown, []);
  });

  it('when the sandbox answers a PGW request or notifies a payment, then its code is in the PGW table', () => {
    assert.deepEqual(
      Object.keys(PGW_CODES).filter((code) => !PGW_RESPONSE_CODES.has(code)),
      [],
    );
  });

  it('when the sandbox source writes a respCode literally, then the code is in the table of its width', () => {
    const literals = literalCodes();
    assert.ok(literals.length >= 10, `only ${literals.length} literal codes found: the scanner is broken`);
    const unknown = literals.filter(({ code }) =>
      code.length === 4 ? !PGW_RESPONSE_CODES.has(code) : !PAYMENT_ACTION_RESULT_CODES.has(code),
    );
    assert.deepEqual(
      unknown.map(({ where, code }) => `${where}: ${code}`),
      [],
    );
  });
});
