//! The `apigen` command: see `apigen --help`.

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // `args_os`: a path that is not UTF-8 is still a path (`args` would panic on it).
    let args = std::env::args_os().skip(1);
    let code = apigen::cli::run(args, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}
