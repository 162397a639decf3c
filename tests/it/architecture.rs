//! The shape of the code, checked as the architecture document states it: no source
//! file of a crate imports (through `crate::`, `super::` or `self::` paths) a file
//! that imports it back, however far round, apart from the sea-orm entities whose
//! relations name each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path inside its crate, `["posts", "write"]` for `posts/write.rs`.
type Module = Vec<String>;

fn modules(src: &Path) -> BTreeMap<Module, PathBuf> {
    let mut found = BTreeMap::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("the sources are readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).expect("below src");
            let mut module: Module = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module
                .last()
                .is_some_and(|last| ["mod", "lib", "main"].contains(&last.as_str()))
            {
                module.pop();
            }
            found.insert(module, path);
        }
    }
    found
}

/// The text without its comments (line comments and doc comments), so that a path
/// named in prose is not taken for an import.
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every path the code names after `crate::` (or `super::`, resolved against
/// `module`), with `use` groups spread out: `crate::{a, b::{c, d}}` names `a`,
/// `b::c` and `b::d`.
fn paths(code: &str, module: &Module) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !(is_ident(chars[i - 1]) || chars[i - 1] == ':');
        let rest: String = chars[i..chars.len().min(i + 8)].iter().collect();
        let root: Option<(usize, Vec<String>)> = if starts_word && rest.starts_with("crate::") {
            Some((7, Vec::new()))
        } else if starts_word && rest.starts_with("super::") {
            // `super` is the module above (for a folder's mod.rs, the folder above).
            let mut parent = module.clone();
            parent.pop();
            Some((7, parent))
        } else {
            None
        };
        match root {
            Some((skip, prefix)) => {
                i += skip;
                i = tree(&chars, i, prefix, &mut found);
            }
            None => i += 1,
        }
    }
    found
}

/// Reads a use tree at `chars[i..]` below `prefix`; returns where it ends.
fn tree(chars: &[char], mut i: usize, prefix: Vec<String>, found: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix;
    loop {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i < chars.len() && chars[i] == '{' {
            i += 1;
            loop {
                while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
                    i += 1;
                }
                if i >= chars.len() || chars[i] == '}' {
                    return i + 1;
                }
                let before = i;
                i = tree(chars, i, path.clone(), found);
                if i == before {
                    i += 1;
                }
            }
        }
        let start = i;
        while i < chars.len() && is_ident(chars[i]) {
            i += 1;
        }
        if start == i {
            found.push(path);
            return i;
        }
        path.push(chars[start..i].iter().collect());
        if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
            i += 2;
        } else {
            found.push(path);
            return i;
        }
    }
}

/// Which modules each module imports, by the longest module prefix of each path.
fn imports(src: &Path, exempt: &str) -> BTreeMap<Module, BTreeSet<Module>> {
    let modules = modules(src);
    let mut graph = BTreeMap::new();
    for (module, file) in &modules {
        let mut targets = BTreeSet::new();
        if module.first().is_none_or(|first| first != exempt) {
            let text = std::fs::read_to_string(file).expect("a readable source file");
            for path in paths(&code(&text), module) {
                let target = (1..=path.len())
                    .rev()
                    .map(|k| path[..k].to_vec())
                    .find(|prefix| modules.contains_key(prefix));
                if let Some(target) = target
                    && &target != module
                    && !module.starts_with(&target)
                    && target.first().is_none_or(|first| first != exempt)
                {
                    targets.insert(target);
                }
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

/// The groups of modules that import each other round a circle.
fn circles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    // Two modules are in one circle when each reaches the other.
    let reach = |from: &Module| -> BTreeSet<Module> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(next) = todo.pop() {
            for target in graph.get(&next).into_iter().flatten() {
                if seen.insert(target.clone()) {
                    todo.push(target.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&Module, BTreeSet<Module>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    let mut grouped: BTreeSet<Module> = BTreeSet::new();
    let mut found = Vec::new();
    for module in graph.keys() {
        if grouped.contains(module) || !reached[module].contains(module) {
            continue;
        }
        let circle: Vec<Module> = graph
            .keys()
            .filter(|other| reached[module].contains(*other) && reached[*other].contains(module))
            .cloned()
            .collect();
        grouped.extend(circle.iter().cloned());
        found.push(circle);
    }
    found
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    for krate in ["domain", "federation", "http", "server"] {
        let src = workspace().join("crates").join(krate).join("src");
        let graph = imports(&src, "entities");
        assert!(graph.len() > 5, "{krate}: the sources were read");
        let found = circles(&graph);
        let shown: Vec<String> = found
            .iter()
            .map(|circle| {
                circle
                    .iter()
                    .map(|m| m.join("::"))
                    .collect::<Vec<_>>()
                    .join(" <-> ")
            })
            .collect();
        assert!(
            shown.is_empty(),
            "import circles in crates/{krate}: {shown:#?}"
        );
    }
}

#[test]
fn the_circle_check_sees_a_circle() {
    // Two files that import each other, written to a folder of their own.
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("posts")).expect("a folder");
    std::fs::write(dir.path().join("lib.rs"), "pub mod posts;\npub mod page;\n").expect("lib.rs");
    std::fs::write(
        dir.path().join("page.rs"),
        "// crate::posts::post is named here only\n",
    )
    .expect("page.rs");
    std::fs::write(
        dir.path().join("posts/mod.rs"),
        "pub mod post;\npub mod write;\n",
    )
    .expect("mod.rs");
    std::fs::write(
        dir.path().join("posts/post.rs"),
        "use crate::{page::Page, posts::{write::{self, create}}};\n",
    )
    .expect("post.rs");
    std::fs::write(
        dir.path().join("posts/write.rs"),
        "use super::post::Post;\n",
    )
    .expect("write.rs");
    let found = circles(&imports(dir.path(), "entities"));
    let expected: Vec<Module> = vec![
        vec!["posts".into(), "post".into()],
        vec!["posts".into(), "write".into()],
    ];
    assert_eq!(found, vec![expected]);
}
