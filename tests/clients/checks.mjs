// What the Node.js checks of the client suite (masto/check.mjs,
// megalodon/check.mjs) share: reading their settings, failing with a message,
// and running the mode named on the command line within a time limit, printing
// its result as one JSON line.

// Everything one check does must end well within this.
const LIMIT_MS = 120_000;

let library = "client";

// Names the library in the messages of a failed check.
export function checking(name) {
  library = name;
}

// The environment variable `name`, which must be set.
export function required(name) {
  const value = process.env[name];
  if (!value) {
    fail(`${name} is not set`);
  }
  return value;
}

// Says what went wrong and exits 1.
export function fail(message) {
  console.error(`${library} check failed: ${message}`);
  process.exit(1);
}

// Fails with `message` unless `condition` holds.
export function check(condition, message) {
  if (!condition) {
    fail(message);
  }
}

// Runs the mode of `modes` named by the first argument, prints what it returns
// as one JSON line and exits 0.
export async function run(modes) {
  const mode = modes[process.argv[2]];
  check(mode, `unknown mode ${process.argv[2]}: use ${Object.keys(modes).join(" or ")}`);
  const timer = setTimeout(() => fail(`not done after ${LIMIT_MS} ms`), LIMIT_MS);
  try {
    const result = await mode();
    clearTimeout(timer);
    console.log(JSON.stringify(result));
    process.exit(0);
  } catch (error) {
    fail(error?.stack ?? String(error));
  }
}
