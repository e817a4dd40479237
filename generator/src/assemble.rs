//! A generated client put together as files: the crate (its root's module declarations
//! and re-exports, one file per module, the runtime crate beside the client, and for a
//! large API the types crate beside it too) or one file of inline modules for `include!`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quote::quote;

use crate::error::{Error, ErrorKind, Location};
use crate::{emit, format, ir, Diagnostic, TypesCrate};

/// A generated client, ready to be rendered as a crate or as one file.
pub struct Generated {
    /// The lowered API.
    pub api: ir::Api,
    /// Warnings about the spec; generation went on despite them.
    pub diagnostics: Vec<Diagnostic>,
    pub(crate) spec_name: String,
    pub(crate) crate_name: String,
    pub(crate) crate_version: String,
    pub(crate) inputs: Vec<PathBuf>,
    /// The example calls of the `smoke` module, when the settings ask for it.
    pub(crate) smoke: Option<Vec<ir::examples::OperationExamples>>,
    /// Where the crate form puts the models.
    pub(crate) types_crate: TypesCrate,
}

/// The `smoke` module's file (its doc, then its items), for the example calls `examples`.
fn smoke_file<'a>(
    header: &'a str,
    api: &'a ir::Api,
    examples: &'a [ir::examples::OperationExamples],
) -> format::FileSource<'a> {
    format::FileSource {
        header,
        head: Box::new(|| emit::docs::inner_doc_attrs(emit::smoke::DOC)),
        count: emit::smoke::count(api),
        make: Box::new(move |i| emit::smoke::item(api, examples, i)),
    }
}

/// The `smoke` module as an inline `pub mod smoke { ... }` item.
fn smoke_inline(
    api: &ir::Api,
    examples: &[ir::examples::OperationExamples],
) -> proc_macro2::TokenStream {
    let doc = emit::docs::doc_attrs(Some(emit::smoke::DOC));
    let allows = emit::allowed_lints(false);
    let items = (0..emit::smoke::count(api)).map(|i| emit::smoke::item(api, examples, i));
    quote! {
        #doc
        #allows
        pub mod smoke {
            #(#items)*
        }
    }
}

/// The files of a crate: those to format, and those whose text is known.
#[derive(Default)]
struct CrateFiles<'a> {
    to_format: Vec<(PathBuf, format::FileSource<'a>)>,
    texts: BTreeMap<PathBuf, String>,
}

impl<'a> CrateFiles<'a> {
    /// Adds `module` (and its children, under a directory of its name).
    fn add_module(
        &mut self,
        header: &'a str,
        dir: &Path,
        module: &'a emit::Module,
        api: &'a ir::Api,
    ) {
        let head = move || {
            let doc = emit::docs::inner_doc_attrs(module.doc);
            let children = module.children.iter().map(|c| {
                let doc = emit::docs::doc_attrs(Some(c.doc));
                let hidden = hidden_attr(c);
                let name = emit::ident(c.name);
                quote!(#doc #hidden pub mod #name;)
            });
            quote! {
                #doc
                #(#children)*
            }
        };
        self.add(
            dir.join(format!("{}.rs", module.name)),
            header,
            head,
            module,
            api,
        );
        let child_dir = dir.join(module.name);
        for child in &module.children {
            let path = child_dir.join(format!("{}.rs", child.name));
            let head = move || emit::docs::inner_doc_attrs(child.doc);
            self.add(path, header, head, child, api);
        }
    }

    /// Adds one module's file: `head`, then its items.
    fn add(
        &mut self,
        path: PathBuf,
        header: &'a str,
        head: impl Fn() -> proc_macro2::TokenStream + Sync + 'a,
        module: &'a emit::Module,
        api: &'a ir::Api,
    ) {
        match module.items {
            emit::Items::Made { count, make } => {
                let source = format::FileSource {
                    header,
                    head: Box::new(head),
                    count,
                    make: Box::new(move |i| make(api, i)),
                };
                self.to_format.push((path, source));
            }
            // Hand-written source keeps its own layout: only the header and doc go first.
            emit::Items::Verbatim(source) => {
                let text = format!("{header}\n//! {}\n\n{source}", module.doc);
                self.texts.insert(path, text);
            }
        }
    }

    /// Every file's text, the formatted ones made on worker threads.
    fn finish(self) -> Result<BTreeMap<PathBuf, String>, Error> {
        let (paths, sources): (Vec<PathBuf>, Vec<format::FileSource<'a>>) =
            self.to_format.into_iter().unzip();
        let mut files = self.texts;
        files.extend(paths.into_iter().zip(format::format_files(&sources)?));
        Ok(files)
    }
}

/// `#[doc(hidden)]` for a module whose docs are hidden.
fn hidden_attr(module: &emit::Module) -> Option<proc_macro2::TokenStream> {
    module.hidden.then(|| quote!(#[doc(hidden)]))
}

/// The runtime template failed to parse: a generator bug, reported as such.
fn runtime_template_error(error: syn::Error) -> Error {
    Error::new(
        ErrorKind::Internal,
        Location::default(),
        format!("the runtime template does not parse (a generator bug): {error}"),
    )
}

/// A module and its children as inline `pub mod name { ... }` items; `allows` goes on the
/// outermost (see [`emit::allowed_lints`]).
fn inline_module(
    module: &emit::Module,
    api: &ir::Api,
    allows: Option<proc_macro2::TokenStream>,
) -> Result<proc_macro2::TokenStream, Error> {
    let name = emit::ident(module.name);
    let doc = emit::docs::doc_attrs(Some(module.doc));
    let hidden = hidden_attr(module);
    let items = match module.items {
        emit::Items::Made { count, make } => (0..count).map(|i| make(api, i)).collect(),
        emit::Items::Verbatim(source) => {
            vec![emit::parse_items(source).map_err(runtime_template_error)?]
        }
    };
    let mut children = Vec::new();
    for child in &module.children {
        children.push(inline_module(child, api, None)?);
    }
    Ok(quote! {
        #doc
        #hidden
        #allows
        pub mod #name {
            #(#children)*
            #(#items)*
        }
    })
}

impl Generated {
    /// Whether the crate form puts the models in a crate of their own (`types/`), by the
    /// [`TypesCrate`] setting and the number of models.
    pub fn separate_types(&self) -> bool {
        self.types_crate.separate(self.api.types.len())
    }

    /// The crate's files, by path relative to the crate directory: `Cargo.toml`,
    /// `src/lib.rs` and one `src/{module}.rs` per module, the runtime crate in `runtime/`,
    /// and when the models are in a crate of their own ([`Generated::separate_types`]),
    /// the types crate in `types/`.
    pub fn crate_files(&self) -> Result<BTreeMap<PathBuf, String>, Error> {
        let rs_header = format::header(&self.spec_name, "//");
        let toml_header = format::header(&self.spec_name, "#");
        let mut files = BTreeMap::new();
        let runtime_package = format!("{}-runtime", self.crate_name);
        let types_package = format!("{}-types", self.crate_name);
        let separate_types = self.separate_types();
        let package = emit::manifest::Package {
            header: &toml_header,
            name: &self.crate_name,
            version: &self.crate_version,
            description: &format!("Generated client for {}.", self.api.title),
            runtime: &runtime_package,
            uses_uuid: self.api.uses(|ty| *ty == ir::TypeRef::Uuid),
            types: separate_types.then_some(types_package.as_str()),
        };
        files.insert(
            PathBuf::from("Cargo.toml"),
            emit::manifest::client_manifest(&package),
        );
        let crate_doc = emit::docs::inner_doc_attrs(&emit::docs::crate_doc(&self.api));
        let client_modules = emit::ModuleKind::ALL.into_iter().filter(|kind| {
            *kind != emit::ModuleKind::Runtime
                && !(separate_types && *kind == emit::ModuleKind::Types)
        });
        let mods = client_modules.clone().map(|kind| {
            let name = emit::ident(kind.name());
            let cfg = kind.feature().map(|f| quote!(#[cfg(feature = #f)]));
            quote!(#cfg #[rustfmt::skip] pub mod #name;)
        });
        let types_crate = emit::ident(&types_package.replace('-', "_"));
        let types_use = separate_types.then(|| {
            quote! {
                #[doc(inline)]
                pub use ::#types_crate::types;
            }
        });
        let smoke_name = emit::ident("smoke");
        let smoke_mod = self
            .smoke
            .as_ref()
            .map(|_| quote!(#[rustfmt::skip] pub mod #smoke_name;));
        let runtime_crate = emit::ident(&runtime_package.replace('-', "_"));
        let root_items = emit::root_items();
        let allows = emit::allowed_lints(true);
        let lib = quote! {
            #crate_doc
            #![forbid(unsafe_code)]
            #allows
            // rustfmt stays off the modules: prettyplease formats them, and `check`
            // compares them byte for byte.
            #types_use
            #(#mods)*
            #smoke_mod
            /// The spec-independent runtime (its own crate, so it is compiled once).
            pub use ::#runtime_crate as runtime;
            #root_items
        };
        files.insert(
            PathBuf::from("src/lib.rs"),
            format::format_file(&rs_header, lib)?,
        );
        // Every module's files are formatted together, in groups of items made on the
        // worker that formats them (so no module exists as one token stream).
        let modules: Vec<emit::Module> = client_modules
            .map(|kind| emit::module(&self.api, kind))
            .collect();
        let types_module = emit::module(&self.api, emit::ModuleKind::Types);
        let runtime = emit::module(&self.api, emit::ModuleKind::Runtime);
        let mut crate_files = CrateFiles::default();
        for module in &modules {
            crate_files.add_module(&rs_header, Path::new("src"), module, &self.api);
        }
        if separate_types {
            crate_files.add_module(&rs_header, Path::new("types/src"), &types_module, &self.api);
            files.insert(
                PathBuf::from("types/Cargo.toml"),
                emit::manifest::types_manifest(&emit::manifest::Package {
                    name: &types_package,
                    description: &format!("Models of the generated client for {}.", self.api.title),
                    types: None,
                    ..package
                }),
            );
            files.insert(
                PathBuf::from("types/src/lib.rs"),
                format::format_file(&rs_header, self.types_lib(&runtime_crate))?,
            );
        }
        if let Some(examples) = &self.smoke {
            let source = smoke_file(&rs_header, &self.api, examples);
            crate_files
                .to_format
                .push((PathBuf::from("src/smoke.rs"), source));
        }
        for part in &runtime.children {
            let path = PathBuf::from(format!("runtime/src/{}.rs", part.name));
            crate_files.add(
                path,
                &rs_header,
                proc_macro2::TokenStream::new,
                part,
                &self.api,
            );
        }
        // The runtime crate, beside the client: written as it is.
        let runtime_manifest = emit::manifest::runtime_manifest(&emit::manifest::Package {
            name: &runtime_package,
            description: &format!("Runtime of the generated client for {}.", self.api.title),
            uses_uuid: false,
            types: None,
            ..package
        });
        files.insert(PathBuf::from("runtime/Cargo.toml"), runtime_manifest);
        let mut lib = format!(
            "{rs_header}\n//! The runtime of the `{}` crate. {}\n#![forbid(unsafe_code)]\n\n",
            self.crate_name, runtime.doc
        );
        for part in &runtime.children {
            let hidden = if part.hidden { "#[doc(hidden)]\n" } else { "" };
            lib.push_str(&format!(
                "/// {}\n{hidden}#[rustfmt::skip]\npub mod {};\n",
                part.doc, part.name
            ));
        }
        lib.push('\n');
        if let emit::Items::Verbatim(root) = runtime.items {
            lib.push_str(root);
        }
        files.insert(PathBuf::from("runtime/src/lib.rs"), lib);
        files.extend(crate_files.finish()?);
        Ok(files)
    }

    /// The types crate's root: its doc, the `types` module, and the runtime under the
    /// name the models use (`crate::runtime`).
    fn types_lib(&self, runtime_crate: &proc_macro2::Ident) -> proc_macro2::TokenStream {
        let doc = emit::docs::inner_doc_attrs(&format!(
            "The models of the `{}` crate, which re-exports them as its `types` module: \
             in a crate of their own so that rustc builds a large API in two halves.",
            self.crate_name
        ));
        let types = emit::ident("types");
        let allows = emit::allowed_lints(true);
        quote! {
            #doc
            #![forbid(unsafe_code)]
            #allows
            #[rustfmt::skip]
            pub mod #types;
            /// The client's runtime, which the models' readers and writers use.
            #[doc(hidden)]
            pub use ::#runtime_crate as runtime;
        }
    }

    /// The whole client as one file of inline modules, for `include!` at a crate root
    /// (it has no inner attributes). The including crate needs the dependencies in
    /// [`DEPENDENCIES`](crate::DEPENDENCIES).
    pub fn single_file(&self) -> Result<String, Error> {
        let mut modules = Vec::new();
        for kind in emit::ModuleKind::ALL {
            if kind.feature().is_none() {
                let allows =
                    (kind != emit::ModuleKind::Runtime).then(|| emit::allowed_lints(false));
                let module = emit::module(&self.api, kind);
                modules.push(inline_module(&module, &self.api, allows)?);
            }
        }
        if let Some(examples) = &self.smoke {
            modules.push(smoke_inline(&self.api, examples));
        }
        let root_items = emit::root_items();
        let tokens = quote! {
            #(#modules)*
            #root_items
        };
        format::format_file(&format::header(&self.spec_name, "//"), tokens)
    }

    /// Every file generation read (the spec, the files it refers to, overlays): what a
    /// build script must watch (`cargo:rerun-if-changed`).
    pub fn inputs(&self) -> &[PathBuf] {
        &self.inputs
    }

    /// The crate's package name.
    pub fn crate_name(&self) -> &str {
        &self.crate_name
    }

    /// The example calls of the `smoke` module (`None` unless the settings ask for it),
    /// one per operation of [`Generated::api`], for tests (see [`crate::stages`]).
    #[doc(hidden)]
    pub fn smoke_examples(&self) -> Option<&[ir::examples::OperationExamples]> {
        self.smoke.as_deref()
    }
}
