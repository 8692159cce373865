//! The HTML report in a real browser (headless Chromium, driven over the DevTools protocol): it renders without
//! console errors or network requests, the context map and the extraction plan are there, a real mouse click on a
//! context expands it, and nothing from a hostile repository executes. Screenshots go to `target/tmp/browser/`.
//!
//! Chromium is found through `SEAMLINE_CHROMIUM` or on `PATH` (`chromium`, `chromium-browser`, `google-chrome`);
//! `scripts/test.sh` installs Debian's `chromium` when it is missing. Without a browser these tests fail: they are
//! part of the suite, not optional.

#[path = "support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use headless_chrome::browser::tab::Tab;
use headless_chrome::protocol::cdp::Network;
use headless_chrome::protocol::cdp::Page;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::protocol::cdp::Runtime::ConsoleAPICalledEventTypeOption;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::{Browser, LaunchOptions};
use serde_json::Value;

fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("SEAMLINE_CHROMIUM") {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "headless Chromium is needed for the browser tests: run scripts/test.sh (it installs Debian's chromium) or set SEAMLINE_CHROMIUM"
    );
}

/// Where screenshots and the reports under test are kept for a human to look at.
fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_html_report(root: &Path, out: &Path) {
    let output = Command::cargo_bin("seamline")
        .unwrap()
        .args(["analyze", "--format", "html", "--output"])
        .arg(out)
        .arg(root)
        .output()
        .unwrap();
    assert!(out.is_file(), "no report: {}", String::from_utf8_lossy(&output.stderr));
}

/// One report open in one headless browser, with everything the page did that a reader would call a problem.
struct OpenReport {
    _browser: Browser,
    tab: Arc<Tab>,
    problems: Arc<Mutex<Vec<String>>>,
}

impl OpenReport {
    fn open(report: &Path) -> OpenReport {
        let profile = tempfile::tempdir().unwrap();
        let options = LaunchOptions {
            path: Some(chromium()),
            headless: true,
            sandbox: false,
            enable_gpu: false,
            window_size: Some((1400, 1000)),
            user_data_dir: Some(profile.path().to_path_buf()),
            // No network: every host resolves to nothing and any proxy use goes to a closed port.
            proxy_server: Some("127.0.0.1:9"),
            args: vec![
                "--host-resolver-rules=MAP * ~NOTFOUND".as_ref(),
                "--disable-component-update".as_ref(),
                "--no-default-browser-check".as_ref(),
            ],
            idle_browser_timeout: Duration::from_secs(120),
            ..LaunchOptions::default()
        };
        let browser = Browser::new(options).expect("launch headless Chromium");
        let tab = browser.new_tab().unwrap();
        tab.set_default_timeout(Duration::from_secs(60));
        let problems = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&problems);
        tab.add_event_listener(Arc::new(move |event: &Event| {
            let problem = match event {
                Event::RuntimeExceptionThrown(e) => Some(format!("exception: {:?}", e.params.exception_details.text)),
                Event::RuntimeConsoleAPICalled(e)
                    if matches!(
                        e.params.Type,
                        ConsoleAPICalledEventTypeOption::Error | ConsoleAPICalledEventTypeOption::Assert
                    ) =>
                {
                    Some(format!("console.{:?}: {:?}", e.params.Type, e.params.args))
                }
                Event::LogEntryAdded(e) if format!("{:?}", e.params.entry.level) == "Error" => {
                    Some(format!("log: {}", e.params.entry.text))
                }
                Event::NetworkRequestWillBeSent(e) if !e.params.request.url.starts_with("file://") => {
                    Some(format!("network request: {}", e.params.request.url))
                }
                Event::PageJavascriptDialogOpening(e) => Some(format!("dialog opened: {}", e.params.message)),
                _ => None,
            };
            if let Some(problem) = problem {
                sink.lock().unwrap().push(problem);
            }
        }))
        .unwrap();
        tab.enable_runtime().unwrap().enable_log().unwrap();
        let network: Network::Enable = serde_json::from_value(serde_json::json!({})).unwrap();
        tab.call_method(network).unwrap();
        let url = format!("file://{}", report.canonicalize().unwrap().display());
        // A dialog opened by injected code would block the page and the test with it: record dialogs instead.
        let record_dialogs: Page::AddScriptToEvaluateOnNewDocument = serde_json::from_value(serde_json::json!({
            "source": "for (const f of ['alert', 'confirm', 'prompt']) window[f] = (m) => console.error('dialog opened: ' + m);"
        }))
        .unwrap();
        tab.call_method(record_dialogs).unwrap();
        tab.navigate_to(&url).unwrap().wait_until_navigated().unwrap();
        tab.wait_for_element("#map").unwrap();
        std::mem::forget(profile); // Chromium may still write to it while it shuts down; /tmp is cleaned by the OS.
        OpenReport { _browser: browser, tab, problems }
    }

    /// Evaluates a JavaScript expression in the page and returns its JSON value.
    fn eval(&self, expression: &str) -> Value {
        let wrapped = format!("JSON.stringify({expression})");
        let result = self.tab.evaluate(&wrapped, false).unwrap();
        match result.value {
            Some(Value::String(json)) => serde_json::from_str(&json).unwrap(),
            other => panic!("{expression} gave {other:?}"),
        }
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        let path = artefacts().join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    fn assert_no_problems(&self) {
        let problems = self.problems.lock().unwrap();
        assert!(problems.is_empty(), "the page reported problems: {problems:#?}");
    }

    /// Clicks the map node of `context` with the mouse and checks that it expands into its modules and opens the
    /// context's card.
    fn click_context_and_check_it_expands(&self, context: &str) {
        let selector = format!("#map .context[data-name=\"{}\"]", css_string(context));
        let before =
            self.eval(&format!("document.querySelector({}).classList.contains('expanded')", js_string(&selector)));
        assert_eq!(before, Value::Bool(false), "{context} expanded before the click");
        self.tab.find_element(&selector).unwrap().click().unwrap();
        let check = format!(
            "(() => {{ const n = document.querySelector({sel}); const shown = Array.from(n.querySelectorAll('.module'))
                .filter(m => m.getBoundingClientRect().width > 0).length;
              const card = Array.from(document.querySelectorAll('details.context-card')).find(c => c.dataset.name === n.dataset.name);
              return {{ expanded: n.classList.contains('expanded'), modules: n.querySelectorAll('.module').length, shown, card: card.open }}; }})()",
            sel = js_string(&selector)
        );
        let state = self.eval(&check);
        assert_eq!(state["expanded"], Value::Bool(true), "{context} did not expand: {state}");
        assert!(state["modules"].as_u64().unwrap() > 0, "{context} has no module nodes: {state}");
        assert_eq!(state["shown"], state["modules"], "{context}'s modules are not all visible: {state}");
        assert_eq!(state["card"], Value::Bool(true), "{context}'s card did not open: {state}");
    }

    fn count(&self, selector: &str) -> u64 {
        self.eval(&format!("document.querySelectorAll({}).length", js_string(selector))).as_u64().unwrap()
    }
}

fn js_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn css_string(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The map, the plan and the cards all show the report's contexts.
fn assert_structure(page: &OpenReport, report_json: &Value) {
    let contexts = report_json["contexts"].as_array().unwrap();
    assert!(!contexts.is_empty());
    assert_eq!(page.count("#map .context") as usize, contexts.len());
    assert_eq!(page.count("details.context-card") as usize, contexts.len());
    let steps = report_json["extraction_order"].as_array().unwrap().len();
    assert!(steps > 0);
    assert_eq!(page.count("#extraction-plan ol.plan > li") as usize, steps);
    let map = page.eval(
        "(() => { const r = document.getElementById('map').getBoundingClientRect(); return [r.width, r.height]; })()",
    );
    assert!(map[0].as_f64().unwrap() > 500.0 && map[1].as_f64().unwrap() > 300.0, "map is not visible: {map}");
}

fn analysis_json(root: &Path) -> Value {
    let output =
        Command::cargo_bin("seamline").unwrap().args(["analyze", "--format", "json"]).arg(root).output().unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn ecommerce_report_renders_without_errors_and_a_click_expands_a_context() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ecommerce-express");
    let html = artefacts().join("ecommerce.html");
    write_html_report(&root, &html);
    let json = analysis_json(&root);
    let page = OpenReport::open(&html);
    assert_structure(&page, &json);
    page.screenshot("ecommerce-top");
    page.click_context_and_check_it_expands("orders");
    page.eval("document.getElementById('context-map').scrollIntoView()");
    page.screenshot("ecommerce-orders-expanded");
    // Search marks hits on the map as the user types.
    page.tab.find_element("#search").unwrap().click().unwrap();
    page.tab.type_str("payment").unwrap();
    assert!(page.count("#map .hit") > 0, "search found nothing");
    // Sorting the module table by Ce puts the largest value last after one click (ascending).
    page.tab.find_element("#module-table th:nth-child(6)").unwrap().click().unwrap();
    let ce: Vec<f64> = page
        .eval("Array.from(document.querySelectorAll('#module-table tbody tr')).map(r => parseFloat(r.cells[5].textContent))")
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(ce.windows(2).all(|w| w[0] <= w[1]), "not sorted by Ce: {ce:?}");
    page.eval("document.getElementById('extraction-plan').scrollIntoView()");
    page.screenshot("ecommerce-plan");
    page.assert_no_problems();
}

#[test]
fn a_2000_module_report_is_interactive_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let options =
        synth::SynthOptions { domains: 40, modules_per_domain: 50, cross_rate: 0.1, typescript: false, seed: 4 };
    synth::generate(dir.path(), &options).unwrap();
    let html = artefacts().join("monolith-2000.html");
    write_html_report(dir.path(), &html);
    let json = analysis_json(dir.path());
    assert!(json["modules"].as_array().unwrap().len() >= 2_000);
    assert!(std::fs::metadata(&html).unwrap().len() < 5_000_000);
    let page = OpenReport::open(&html);
    assert_structure(&page, &json);
    assert!(page.count("#map .module") >= 2_000, "every module is on the map");
    page.screenshot("monolith-2000-top");
    let biggest = json["contexts"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|c| {
            (c["modules"].as_array().unwrap().len(), std::cmp::Reverse(c["name"].as_str().unwrap().to_owned()))
        })
        .unwrap();
    page.click_context_and_check_it_expands(biggest["name"].as_str().unwrap());
    // Filtering the module table by a context name keeps that context's modules and hides most others.
    let name = biggest["name"].as_str().unwrap();
    page.tab.find_element("#module-filter").unwrap().click().unwrap();
    page.tab.type_str(name).unwrap();
    let visible = page
        .eval("Array.from(document.querySelectorAll('#module-table tbody tr')).filter(r => r.style.display !== 'none').length")
        .as_u64()
        .unwrap() as usize;
    let members = biggest["modules"].as_array().unwrap().len();
    let total = json["modules"].as_array().unwrap().len();
    assert!(
        visible >= members && visible < total / 2,
        "{visible} rows visible for {name} ({members} members, {total} modules)"
    );
    page.eval("document.getElementById('context-map').scrollIntoView()");
    page.screenshot("monolith-2000-expanded");
    page.assert_no_problems();
}

/// A script payload that records which injection point ran, so a failure names it.
fn payload(id: &str) -> String {
    format!("<script>window.__pwned='{id}';alert('{id}')</script>")
}

/// A repository whose file names, directory names, SQL, table names and routes are all attempts to inject markup.
fn hostile_repository(root: &Path) {
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("src/db.js", "const { Pool } = require('pg');\nmodule.exports = new Pool();\n");
    // A directory named `<` puts `</style>` into the module path.
    let style_dir = "src/<".to_owned() + "/style>" + &payload("path-style").replace('/', "_") + "x";
    let names = [
        format!("src/{}/a.js", payload("dir").replace('/', "_")),
        format!("{style_dir}/orders.js"),
        "src/\"><img src=x onerror=\"window.__pwned='attr'\">/b.js".to_owned(),
        "src/'><svg onload=\"window.__pwned='svg'\">/c.js".to_owned(),
    ];
    let sql = [
        format!("SELECT * FROM \"</style>{}\" WHERE id = $1", payload("table-style")),
        "INSERT INTO \"<img src=x onerror=window.__pwned='table-img'>\" (a) VALUES ($1)".to_owned(),
        format!("UPDATE \"{}\" SET a = 1", payload("table")),
        format!("SELECT {} FROM", payload("bad-sql")),
    ];
    let mut index = String::from("const express = require('express');\nconst router = express.Router();\n");
    for (i, name) in names.iter().enumerate() {
        let rel = name.strip_prefix("src/").unwrap();
        index.push_str(&format!(
            "const m{i} = require({});\n",
            js_string(&format!("./{}", rel.trim_end_matches(".js")))
        ));
        index.push_str(&format!("router.get({}, m{i}.handle);\n", js_string(&format!("/{}/{i}", payload("route")))));
        let body = format!(
            "const db = require({db});\nasync function handle(req, res) {{\n  await db.query({q1});\n  await db.query({q2});\n  return db.query({q3});\n}}\nmodule.exports = {{ handle }};\n",
            db = js_string(&format!("{}db", "../".repeat(rel.matches('/').count()))),
            q1 = js_string(&sql[i % sql.len()]),
            q2 = js_string(&sql[(i + 1) % sql.len()]),
            q3 = js_string(&sql[(i + 2) % sql.len()]),
        );
        write(name, &body);
    }
    index.push_str("module.exports = router;\n");
    write("src/index.js", &index);
}

#[test]
fn nothing_from_a_hostile_repository_executes_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(format!("repo{}", payload("root").replace('/', "_")));
    hostile_repository(&root);
    let html = artefacts().join("hostile.html");
    write_html_report(&root, &html);
    let json = analysis_json(&root);
    let page = OpenReport::open(&html);
    // The payloads reached the report as text: the test would notice if the fixture stopped producing them.
    let text = page.eval("document.body.textContent");
    let text = text.as_str().unwrap();
    for needle in [
        "</style><script>window.__pwned='path-style'",
        "<img src=x onerror=window.__pwned='table-img'>",
        "<script>window.__pwned='table'",
        "<script>window.__pwned='route'",
    ] {
        assert!(text.contains(needle), "{needle:?} is not shown as text");
    }
    assert_eq!(
        page.eval("window.__pwned === undefined"),
        Value::Bool(true),
        "a payload ran: {:?}",
        page.eval("String(window.__pwned)")
    );
    assert_eq!(page.count("script"), 1, "only seamline's own script");
    assert_eq!(page.count("style"), 1, "only seamline's own style sheet");
    assert_eq!(page.count("img, iframe, object, embed, link, svg svg"), 0, "no element injected");
    let handlers = page.eval(
        "Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes).filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))",
    );
    assert_eq!(handlers, serde_json::json!([]), "inline event handlers were injected");
    // Clicking every context exercises the script with hostile names in data attributes.
    let contexts = json["contexts"].as_array().unwrap();
    assert!(!contexts.is_empty());
    for context in contexts {
        page.click_context_and_check_it_expands(context["name"].as_str().unwrap());
    }
    page.tab.find_element("#search").unwrap().click().unwrap();
    page.tab.type_str("<script>").unwrap();
    assert_eq!(page.eval("window.__pwned === undefined"), Value::Bool(true));
    page.screenshot("hostile");
    page.assert_no_problems();
}
