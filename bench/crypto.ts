// Envelope throughput against the floor of this machine: OpenSSL's own RSA-2048 sign rate, Node's raw PS256
// sign and RSA-OAEP decrypt rates (the two private-key operations of a round trip), then PaymentAction round
// trips (seal a request, open an answer) with 1, 2 and 4 concurrent callers, through the gateway's envelopes and
// through the jose 6 implementation they replaced. Every round notes the cores other processes kept busy and
// the cores this one used (the RSA helper thread included), so a figure bought with a second core says so.
// Run standalone: `npx tsx bench/crypto.ts` prints the result as JSON. Keys are generated in memory and never leave it.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  constants,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify } from 'jose';
import { openPaymentAction, sealPaymentAction } from '../src/gateway/envelopes/payment-action-envelope.js';

/** A rate and its ratio to the OpenSSL limit it is measured against. */
export interface RateFigure {
  perSecond: number;
  /** perSecond ÷ the OpenSSL limit (sign/s for single signatures, sign/s ÷ 2 for round trips). */
  ratio: number;
  /** Every round's rate. perSecond is the best round that ran on a quiet machine (see otherLoad). */
  rounds: number[];
  /** Cores other processes kept busy during each round (from /proc/stat; null where unreadable). */
  otherLoad: Array<number | null>;
  /** Cores this process kept busy during each round: the calling thread plus the RSA helper thread. */
  ownCores: number[];
}

/** Round trips per second with 1, 2 and 4 concurrent callers. */
export interface RoundTripFigures {
  callers1: RateFigure;
  callers2: RateFigure;
  callers4: RateFigure;
}

export interface CryptoBenchResult {
  machine: { cpus: number; node: string; openssl: string; loadAverage1m: number };
  openssl: {
    command: string;
    signPerSecond: number;
    verifyPerSecond: number;
    rounds: number[];
    otherLoad: Array<number | null>;
  };
  /** One PaymentAction round trip needs two private-key operations: OpenSSL sign/s ÷ 2 on one core. */
  roundTripLimit: number;
  /** `crypto.sign('sha256', data, { key, padding: RSA_PKCS1_PSS_PADDING, saltLength: 32 })`, synchronous. */
  nodeRawSign: RateFigure;
  /** `crypto.privateDecrypt({ key, padding: RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, wrappedKey)`, synchronous. */
  nodeRawDecrypt: RateFigure;
  /**
   * The round trips per second one core allows with Node's raw operations alone (one sign and one decrypt,
   * nothing else), and its ratio to roundTripLimit: the ceiling of a lone caller.
   */
  nodeRawRoundTrip: { perSecond: number; ratio: number };
  gateway: RoundTripFigures;
  joseReference: RoundTripFigures;
}

/** How long each measurement runs and how many times each is repeated (interleaved). */
export interface CryptoBenchOptions {
  secondsPerMeasurement?: number;
  rounds?: number;
}

type RoundTrip = () => Promise<unknown>;

interface Sample {
  rate: number;
  otherLoad: number | null;
  ownCores: number;
}

// One-second windows for OpenSSL as for every other figure: each is the best of as many windows of one length.
const OPENSSL_ARGS = ['speed', '-seconds', '1', '-mr', 'rsa2048'];
// Other processes on this machine slow a round down, never up: a round counts as quiet below this many cores.
const QUIET_LOAD = 0.1;
const XML = `<PaymentProcessRequest><version>3.8</version><merchantID>JT01</merchantID><processType>R</processType><invoiceNo>INV0000001</invoiceNo><actionAmount>29.90</actionAmount>${'<remark>recurring charge</remark>'.repeat(12)}</PaymentProcessRequest>`;

/** Measures every figure in one run; takes about 3 s + rounds × (2 s + 8 × secondsPerMeasurement). */
export async function measureCrypto(options: CryptoBenchOptions = {}): Promise<CryptoBenchResult> {
  const seconds = options.secondsPerMeasurement ?? 1;
  const roundCount = options.rounds ?? 5;
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ours = await roundTrip(merchant, gateway, { seal: sealPaymentAction, open: openPaymentAction });
  const jose = await roundTrip(merchant, gateway, { seal: sealWithJose, open: openWithJose });
  const signingInput = Buffer.from((await sealPaymentAction(XML, keysOf(merchant, gateway))).split('.', 2).join('.'));
  const rawSign = () =>
    sign('sha256', signingInput, {
      key: merchant.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
  const oaep = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' } as const;
  const wrappedKey = publicEncrypt({ key: merchant.publicKey, ...oaep }, randomBytes(32));
  const rawDecrypt = () => privateDecrypt({ key: merchant.privateKey, ...oaep }, wrappedKey);

  const samples: Record<string, Sample[]> = {};
  const record = (name: string, sample: Sample) => (samples[name] ??= []).push(sample);
  const opensslVerify: Sample[] = [];
  let opensslVersion = '';
  // Compiled code, the RSA helper thread and the key caches are in place before the first measured round.
  for (const callers of [1, 2, 4]) {
    await concurrentRate(ours, callers, 0.5);
    await concurrentRate(jose, callers, 0.5);
  }
  for (let round = 0; round < roundCount; round += 1) {
    const speed = await opensslSpeed();
    record('opensslSign', { rate: speed.sign, otherLoad: speed.otherLoad, ownCores: 0 });
    opensslVerify.push({ rate: speed.verify, otherLoad: speed.otherLoad, ownCores: 0 });
    opensslVersion = speed.version;
    record('rawSign', await measured(async () => syncRate(rawSign, seconds)));
    record('rawDecrypt', await measured(async () => syncRate(rawDecrypt, seconds)));
    for (const callers of [1, 2, 4]) {
      record(`gateway${callers}`, await measured(() => concurrentRate(ours, callers, seconds)));
      record(`jose${callers}`, await measured(() => concurrentRate(jose, callers, seconds)));
    }
  }

  const signPerSecond = best(samples['opensslSign'] ?? []);
  const limit = signPerSecond / 2;
  const figure = (name: string, against: number): RateFigure => {
    const rounds = samples[name] ?? [];
    const perSecond = Math.round(best(rounds));
    return {
      perSecond,
      ratio: round2(perSecond / against),
      rounds: rounds.map((s) => Math.round(s.rate)),
      otherLoad: rounds.map((s) => s.otherLoad),
      ownCores: rounds.map((s) => s.ownCores),
    };
  };
  const figures = (prefix: string): RoundTripFigures => ({
    callers1: figure(`${prefix}1`, limit),
    callers2: figure(`${prefix}2`, limit),
    callers4: figure(`${prefix}4`, limit),
  });
  const openssl = figure('opensslSign', signPerSecond);
  const nodeRawSign = figure('rawSign', signPerSecond);
  const nodeRawDecrypt = figure('rawDecrypt', signPerSecond);
  const nodeRawRoundTrip = Math.round(1 / (1 / nodeRawSign.perSecond + 1 / nodeRawDecrypt.perSecond));
  return {
    machine: {
      cpus: availableParallelism(),
      node: process.version,
      openssl: opensslVersion,
      loadAverage1m: round2(loadavg()[0] ?? 0),
    },
    openssl: {
      command: `openssl ${OPENSSL_ARGS.join(' ')}`,
      signPerSecond: Math.round(signPerSecond),
      verifyPerSecond: Math.round(best(opensslVerify)),
      rounds: openssl.rounds,
      otherLoad: openssl.otherLoad,
    },
    roundTripLimit: Math.round(limit),
    nodeRawSign,
    nodeRawDecrypt,
    nodeRawRoundTrip: { perSecond: nodeRawRoundTrip, ratio: round2(nodeRawRoundTrip / limit) },
    gateway: figures('gateway'),
    joseReference: figures('jose'),
  };
}

/** The best rate among quiet rounds, or among all when none was quiet. */
function best(samples: Sample[]): number {
  const quiet = samples.filter((s) => s.otherLoad !== null && s.otherLoad < QUIET_LOAD);
  return Math.max(...(quiet.length > 0 ? quiet : samples).map((s) => s.rate));
}

interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

interface Envelopes {
  seal: (plaintext: string, keys: { signWith: KeyObject; encryptTo: KeyObject }) => Promise<string>;
  open: (token: string, keys: { verifyWith: KeyObject; decryptWith: KeyObject }) => Promise<string>;
}

const keysOf = (merchant: KeyPair, gateway: KeyPair) => ({
  signWith: merchant.privateKey,
  encryptTo: gateway.publicKey,
});

/** The client's side of one exchange: seal a request to 2C2P, open 2C2P's answer (made once, by the other side). */
async function roundTrip(merchant: KeyPair, gateway: KeyPair, envelopes: Envelopes): Promise<RoundTrip> {
  const answer = await envelopes.seal(XML, { signWith: gateway.privateKey, encryptTo: merchant.publicKey });
  const openKeys = { verifyWith: gateway.publicKey, decryptWith: merchant.privateKey };
  const sealKeys = keysOf(merchant, gateway);
  if ((await envelopes.open(answer, openKeys)) !== XML) throw new Error('round trip does not restore the plaintext');
  return async () => {
    await envelopes.seal(XML, sealKeys);
    return envelopes.open(answer, openKeys);
  };
}

/** The jose 6 envelopes as src/gateway had them before issue 12: the reference for speed and for the wire format. */
async function sealWithJose(plaintext: string, keys: { signWith: KeyObject; encryptTo: KeyObject }): Promise<string> {
  const jwe = await new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM' })
    .encrypt(keys.encryptTo);
  return new CompactSign(new TextEncoder().encode(jwe))
    .setProtectedHeader({ alg: 'PS256', typ: 'JWT' })
    .sign(keys.signWith);
}

async function openWithJose(token: string, keys: { verifyWith: KeyObject; decryptWith: KeyObject }): Promise<string> {
  const { payload } = await compactVerify(token, keys.verifyWith, { algorithms: ['PS256'] });
  const { plaintext } = await compactDecrypt(new TextDecoder().decode(payload), keys.decryptWith, {
    keyManagementAlgorithms: ['RSA-OAEP'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  return new TextDecoder().decode(plaintext);
}

/** Operations per second of a synchronous function, on this thread. */
function syncRate(operation: () => unknown, seconds: number): number {
  for (let i = 0; i < 20; i += 1) operation();
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < seconds * 1000) {
    operation();
    count += 1;
  }
  return count / ((performance.now() - start) / 1000);
}

/** Round trips per second, all callers together; each caller starts its next round trip when one finishes. */
async function concurrentRate(operation: RoundTrip, callers: number, seconds: number): Promise<number> {
  const caller = async (deadline: number) => {
    let count = 0;
    while (performance.now() < deadline) {
      await operation();
      count += 1;
    }
    return count;
  };
  await Promise.all(Array.from({ length: callers }, () => caller(performance.now() + 200)));
  const start = performance.now();
  const counts = await Promise.all(Array.from({ length: callers }, () => caller(start + seconds * 1000)));
  return counts.reduce((sum, count) => sum + count, 0) / ((performance.now() - start) / 1000);
}

/** `openssl speed -seconds 1 -mr rsa2048`: the machine-readable line is +F2:index:bits:sign/s:verify/s. */
async function opensslSpeed(): Promise<{ sign: number; verify: number; version: string; otherLoad: number | null }> {
  const run = promisify(execFile);
  const version = (await run('openssl', ['version'])).stdout.trim();
  const before = busyCores();
  const start = performance.now();
  const { stdout } = await run('openssl', OPENSSL_ARGS, { maxBuffer: 1 << 20 });
  const elapsed = (performance.now() - start) / 1000;
  const after = busyCores();
  const machineReadable = /^\+F2:\d+:2048:([\d.]+):([\d.]+)/m.exec(stdout);
  const plain = /^rsa\s+2048 bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+([\d.]+)/m.exec(stdout);
  const match = machineReadable ?? plain;
  if (!match) throw new Error('openssl speed printed no rsa2048 sign/verify figures');
  // openssl keeps one core busy; whatever else was busy meanwhile was someone else.
  const otherLoad = before === null || after === null ? null : round2(Math.max(0, (after - before) / elapsed - 1));
  return { sign: Number(match[1]), verify: Number(match[2]), version, otherLoad };
}

/** Runs a measurement and notes how many cores other processes kept busy meanwhile, and this one. */
async function measured(measure: () => Promise<number>): Promise<Sample> {
  const before = busyCores();
  const own = process.cpuUsage();
  const start = performance.now();
  const rate = await measure();
  const elapsed = (performance.now() - start) / 1000;
  const ownCpu = process.cpuUsage(own);
  const after = busyCores();
  const ownSeconds = (ownCpu.user + ownCpu.system) / 1e6;
  const ownCores = round2(ownSeconds / elapsed);
  if (before === null || after === null) return { rate, otherLoad: null, ownCores };
  return { rate, otherLoad: round2(Math.max(0, (after - before - ownSeconds) / elapsed)), ownCores };
}

/** Seconds of CPU time all cores have spent busy since boot (Linux /proc/stat), or null elsewhere. */
function busyCores(): number | null {
  try {
    const fields =
      readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/).slice(1, 9).map(Number) ?? [];
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    // USER_HZ is 100 on every Linux build Node supports.
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return null;
  }
}

const round2 = (value: number) => Math.round(value * 100) / 100;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(await measureCrypto(), null, 2)}\n`);
}
