//! The `staffroom` command.

use std::io::{self, BufReader};
use std::process::ExitCode;

fn main() -> ExitCode {
    let env: staffroom::Env = std::env::vars().collect();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("staffroom: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdin = BufReader::new(io::stdin());
    let mut stdout = io::stdout();
    let mut stderr = io::stderr();
    let io = staffroom::cli::Io {
        stdin: &mut stdin,
        stdout: &mut stdout,
        stderr: &mut stderr,
        init_logging: true,
    };
    let status = runtime.block_on(staffroom::cli::run(std::env::args_os(), &env, io));
    // Background tasks stopped with the instance; do not wait for stray blocking work.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    ExitCode::from(status)
}
