//! The generator never panics, whatever the input: the Gong spec and two specs vendored in
//! `corpus/` are damaged in many deterministic ways (lines dropped, text cut short, scalars
//! swapped for wrong types, keys renamed) and each result must give `Ok` or an `Err`, never
//! a panic.

use std::path::Path;

/// A small deterministic pseudo-random sequence (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

fn mutations(text: &str, seed: u64, count: usize) -> Vec<String> {
    let mut rng = Lcg(seed);
    let lines: Vec<&str> = text.lines().collect();
    let replacements = [
        "7",
        "[]",
        "{}",
        "null",
        "true",
        "'x'",
        "-1",
        "99999999999999999999",
        "{$ref: '#/nope'}",
    ];
    (0..count)
        .map(|i| match i % 4 {
            0 => {
                let drop = rng.next(lines.len());
                lines
                    .iter()
                    .enumerate()
                    .filter(|(n, _)| *n != drop)
                    .map(|(_, l)| *l)
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            1 => {
                let mut cut = rng.next(text.len());
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text[..cut].to_string()
            }
            2 => {
                let n = rng.next(lines.len());
                let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                if let Some((key, _)) = out[n].clone().split_once(": ") {
                    out[n] = format!("{key}: {}", replacements[rng.next(replacements.len())]);
                }
                out.join("\n")
            }
            _ => {
                let n = rng.next(lines.len());
                let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                out[n] = out[n].replacen(|c: char| c.is_ascii_alphabetic(), "Z", 1);
                out.join("\n")
            }
        })
        .collect()
}

#[test]
fn damaged_specs_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let specs = [
        root.join("spec/gong-users.yaml"),
        root.join("corpus/oai-petstore.yaml"),
        root.join("corpus/progenitor-keeper.json"),
    ];
    let mut outcomes = (0usize, 0usize);
    for (seed, spec) in specs.iter().enumerate() {
        let text =
            std::fs::read_to_string(spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        for (i, damaged) in mutations(&text, seed as u64 + 1, 240)
            .into_iter()
            .enumerate()
        {
            let result = std::panic::catch_unwind(|| {
                apigen::generate_str(
                    Path::new("damaged.yaml"),
                    damaged.clone(),
                    &apigen::Settings::default(),
                )
                .and_then(|g| g.crate_files().map(|_| ()))
            });
            match result {
                Ok(Ok(())) => outcomes.0 += 1,
                Ok(Err(error)) => {
                    assert!(
                        error.to_string().starts_with("error: damaged.yaml"),
                        "{error}"
                    );
                    outcomes.1 += 1;
                }
                Err(_) => panic!(
                    "generator panicked on mutation {i} of {}:\n{damaged}",
                    spec.display()
                ),
            }
        }
    }
    // Both outcomes must occur, or the mutations are not exercising anything.
    assert!(outcomes.0 > 0 && outcomes.1 > 0, "{outcomes:?}");
}
