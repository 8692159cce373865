//! Arbitrary bytes as `seamline.toml`, `tsconfig.json` (with a self-extending chain) and `package.json`, through
//! seamline's readers: errors and diagnostics are fine, panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("seamline.toml"), data).unwrap();
    let _ = seamline::Config::load(root.to_path_buf(), "fuzz".to_owned(), None);

    std::fs::write(root.join("tsconfig.json"), data).unwrap();
    std::fs::create_dir_all(root.join("packages/a")).unwrap();
    std::fs::write(root.join("packages/a/tsconfig.json"), br#"{"extends": "../../tsconfig.json"}"#).unwrap();
    let disk = seamline::disk::Disk::new(root);
    let mut configs = seamline::resolve::tsconfig::TsConfigs::new(&disk);
    if let Some(config) = configs.nearest("packages/a") {
        let _ = config.path_candidates("@app/x");
        let _ = config.path_candidates("x");
    }

    std::fs::write(root.join("package.json"), data).unwrap();
    std::fs::write(root.join("packages/a/package.json"), data).unwrap();
    let packages = seamline::resolve::packages::Packages::load(
        &disk,
        &["package.json".to_owned(), "packages/a/package.json".to_owned()],
    );
    let _ = packages.split("a/b");
});
