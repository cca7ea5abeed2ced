// The dev-mode format: one line per event (time, level, message, key=value), through pino end to end.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../../src/logging/create-logger.js';
import { prettyLine } from '../../../src/logging/pretty-line.js';

const TIME = /^\d\d:\d\d:\d\d\.\d{3} /;

/** A pretty logger whose output is kept, one entry per write. */
function capturedLogger(level: 'debug' | 'info' = 'info') {
  const lines: string[] = [];
  const logger = createLogger({ level, pretty: true, write: (text) => lines.push(text) });
  return { logger, lines };
}

describe('pretty log lines', () => {
  it('when a record has fields, then it reads time, level, message, then key=value in order', () => {
    const line = prettyLine({
      level: 30,
      time: Date.UTC(2026, 0, 31, 10, 5, 7, 9),
      pid: 42,
      hostname: 'box',
      msg: 'charge succeeded',
      merchantId: 'JT01',
      invoiceNo: 'INV0001',
      amountMinor: 3000,
    });
    assert.match(line, TIME);
    assert.equal(line.replace(TIME, ''), 'INFO  charge succeeded merchantId=JT01 invoiceNo=INV0001 amountMinor=3000');
  });

  it('when a value has spaces or is nested, then it is quoted or JSON so the line still splits on spaces', () => {
    const line = prettyLine({
      level: 40,
      time: 0,
      msg: 'charge declined',
      respDesc: 'Do not honor',
      plan: { days: 30 },
    });
    assert.equal(line.replace(TIME, ''), 'WARN  charge declined respDesc="Do not honor" plan={"days":30}');
  });

  it('when a warning carries an error, then it stays one line with the error type and message', () => {
    const { logger, lines } = capturedLogger();
    logger.warn({ err: new TypeError('amount must be whole') }, 'activity failed');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.split('\n').length, 2, 'one line and its newline');
    assert.match(lines[0] ?? '', / WARN {2}activity failed err="TypeError: amount must be whole"\n$/);
  });

  it('when an error is logged at error level, then its stack follows, indented', () => {
    const { logger, lines } = capturedLogger();
    logger.error({ err: new Error('pool closed') }, 'worker stopped');
    const [first, ...stack] = (lines[0] ?? '').trimEnd().split('\n');
    assert.match(first ?? '', / ERROR worker stopped err="Error: pool closed"$/);
    assert.ok(stack.length > 0 && stack.every((l) => l.startsWith('    at ')), stack.join('\n'));
  });

  it('when a line is below LOG_LEVEL, then nothing is written', () => {
    const { logger, lines } = capturedLogger('info');
    logger.debug('worker state changed');
    logger.info('payment page created');
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /INFO {2}payment page created\n$/);
  });

  it('when a caller passes a secret, a task token or a card number field, then the line shows [redacted]', () => {
    const { logger, lines } = capturedLogger();
    logger.info(
      {
        secretKey: 'S3CRET',
        taskToken: 'dG9rZW4=',
        request: { cardNo: '4111111111111111', paymentToken: 'kSAops9Zw' },
      },
      'oops',
    );
    assert.doesNotMatch(lines[0] ?? '', /S3CRET|dG9rZW4=|4111111111111111|kSAops9Zw/);
    assert.match(lines[0] ?? '', /secretKey=\[redacted\] taskToken=\[redacted\]/);
  });
});
