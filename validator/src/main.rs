//! `validate`: check Qualys API XML payloads against the embedded Qualys DTDs and XSDs and the
//! Qualys rules they cannot express. See `validate --help`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
