// The response-code tables against the reviewed fixture (both ways), the codes whose class decides money
// (49, 51, 0000, 0001, 2001, 4200, declines), and paymentOutcome read off the same PGW table.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { paymentOutcome, type PaymentOutcome } from '../../../src/domain/payment-outcome.js';
import {
  PAYMENT_ACTION_RESULT_CODES,
  PGW_RESPONSE_CODES,
  RPP_RESULT_CODES,
  type ResponseClass,
  type ResponseCodeTable,
} from '../../../src/domain/response-codes.js';
import {
  classifyPaymentActionCode,
  classifyPgwCode,
  classifyRppCode,
  type CodeInfo,
} from '../../../src/gateway/response-codes.js';

interface FixtureRow {
  code: string;
  class: ResponseClass;
  description: string;
}
type TableName = 'paymentAction' | 'rpp' | 'pgw';

const fixture = JSON.parse(readFileSync('test/fixtures/response-codes.json', 'utf8')) as Record<
  TableName,
  FixtureRow[]
>;

const TABLES: Array<[TableName, ResponseCodeTable, number]> = [
  ['paymentAction', PAYMENT_ACTION_RESULT_CODES, 2],
  ['rpp', RPP_RESULT_CODES, 2],
  ['pgw', PGW_RESPONSE_CODES, 4],
];

const CLASSIFY: Record<TableName, (code: string) => CodeInfo> = {
  paymentAction: classifyPaymentActionCode,
  rpp: classifyRppCode,
  pgw: classifyPgwCode,
};

describe('response codes: the tables and the fixture', () => {
  for (const [name, table, width] of TABLES) {
    it(`when the ${name} table is compared with the fixture, then every code has the same class and description both ways`, () => {
      const rows = fixture[name];
      const expected = new Map(rows.map((r) => [r.code, { class: r.class, description: r.description }]));
      assert.equal(expected.size, rows.length, `the fixture lists a ${name} code twice`);
      const missingFromFixture = [...table.keys()].filter((code) => !expected.has(code));
      const missingFromTable = [...expected.keys()].filter((code) => !table.has(code));
      const differing = [...table].filter(([code, entry]) => {
        const other = expected.get(code);
        return other && (other.class !== entry.class || other.description !== entry.description);
      });
      assert.deepEqual(missingFromFixture, [], `${name} codes in the table but not in the fixture`);
      assert.deepEqual(missingFromTable, [], `${name} codes in the fixture but not in the table`);
      assert.deepEqual(
        differing.map(([code, entry]) => `${code}: ${entry.class} "${entry.description}"`),
        [],
        `${name} codes classified or described differently from the fixture`,
      );
    });

    it(`when a ${name} code is read, then it is ${width} digits (a lost leading zero is another code)`, () => {
      const misshapen = [...table.keys()].filter((code) => !new RegExp(`^\\d{${width}}$`).test(code));
      assert.deepEqual(misshapen, []);
    });
  }
});

describe('response codes: the codes that decide money', () => {
  const cases: Array<[TableName, string, ResponseClass]> = [
    // A retried refund: already refunded (49) or still in flight under the same key (51) is followed by the
    // refund status inquiry, never recorded as failed.
    ['paymentAction', '49', 'outcome-unknown'],
    ['paymentAction', '51', 'outcome-unknown'],
    ['paymentAction', '42', 'pending'],
    ['paymentAction', '00', 'success'],
    ['paymentAction', '95', 'retryable'],
    ['paymentAction', '99', 'retryable'],
    ['paymentAction', '16', 'not-found'],
    ['paymentAction', '45', 'declined-final'],
    ['paymentAction', '46', 'declined-final'],
    ['paymentAction', '50', 'declined-final'],
    ['rpp', '00', 'success'],
    ['rpp', '16', 'not-found'],
    ['rpp', '51', 'declined-final'],
    ['rpp', '99', 'retryable'],
    ['pgw', '0000', 'success'],
    ['pgw', '0001', 'pending'],
    ['pgw', '2001', 'pending'],
    ['pgw', '4009', 'pending'],
    ['pgw', '1005', 'pending'],
    ['pgw', '2002', 'not-found'],
    ['pgw', '4140', 'not-found'],
    ['pgw', '2003', 'outcome-unknown'],
    ['pgw', '0999', 'retryable'],
    ['pgw', '4200', 'declined-final'],
    ['pgw', '4005', 'declined-final'],
    ['pgw', '4051', 'declined-final'],
    ['pgw', '4041', 'declined-final'],
    ['pgw', '4054', 'declined-final'],
    ['pgw', '9015', 'declined-final'],
  ];
  for (const [name, code, expected] of cases) {
    it(`when 2C2P answers ${code} (${name}), then it is ${expected}`, () => {
      assert.equal(CLASSIFY[name](code).classification, expected);
    });
  }

  it('when 2C2P answers a code no table lists, then it is final, described as unknown and never resent', () => {
    for (const name of ['paymentAction', 'rpp', 'pgw'] as const) {
      assert.deepEqual(CLASSIFY[name]('77'), {
        classification: 'declined-final',
        description: 'Unknown response code',
      });
    }
    assert.equal(classifyPaymentActionCode('0000').classification, 'declined-final', 'a PGW code is not a result code');
  });

  it('when a code is classified, then the description is 2C2P’s own', () => {
    assert.equal(classifyPaymentActionCode('49').description, 'Transaction is already fully refunded.');
    assert.equal(classifyPaymentActionCode('51').description, 'Same Idempotent Key exists with status Pending');
    assert.equal(classifyPgwCode('4200').description, 'Tokenization Successful');
  });
});

describe('response codes: paymentOutcome', () => {
  const cases: Array<[string, PaymentOutcome]> = [
    ['0000', 'succeeded'],
    ['0001', 'pending'],
    ['2001', 'pending'],
    ['1003', 'pending'],
    ['2002', 'not_found'],
    ['4071', 'not_found'],
    // Says nothing reliable of the money: asked again, never a decline.
    ['2003', 'pending'],
    ['0999', 'pending'],
    ['5015', 'pending'],
    ['4200', 'declined'],
    ['4051', 'declined'],
    ['4096', 'declined'],
    ['0003', 'declined'],
    ['1234', 'declined'],
  ];
  for (const [code, expected] of cases) {
    it(`when a payment answers ${code}, then its outcome is ${expected}`, () => {
      assert.equal(paymentOutcome(code), expected);
    });
  }

  it('when every PGW code is read, then only a final refusal is a decline and only success succeeds', () => {
    const wrong = [...PGW_RESPONSE_CODES].filter(([code, { class: cls }]) => {
      const outcome = paymentOutcome(code);
      if (cls === 'success') return outcome !== 'succeeded';
      if (cls === 'declined-final') return outcome !== 'declined';
      if (cls === 'not-found') return outcome !== 'not_found';
      return outcome !== 'pending';
    });
    assert.deepEqual(
      wrong.map(([code, entry]) => `${code} ${entry.class} → ${paymentOutcome(code)}`),
      [],
    );
  });
});
