//! Print the generated code for one schema file: `cargo run -p qschema-codegen --example gen -- FILE`.

fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: gen FILE.dtd|FILE.xsd");
        std::process::exit(2);
    };
    match qschema_codegen::generate_file(std::path::Path::new(&path), &Default::default()) {
        Ok(code) => print!("{code}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
