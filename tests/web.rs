//! Browser component tests: mount the application shell in a real headless Chromium and assert
//! on the DOM. Run with `make test-browser` (wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app into a fresh container and returns it with the handle that keeps it mounted.
fn mount_app() -> (HtmlElement, impl Drop) {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), traceglass::ui::App);
    (container, handle)
}

fn theme_attribute() -> Option<String> {
    document().document_element().unwrap().get_attribute("data-theme")
}

async fn next_tick() {
    // Let effects run: one macrotask turn.
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn shell_shows_product_name_and_empty_state() {
    let (container, _handle) = mount_app();
    next_tick().await;

    let brand = container.query_selector("header .brand-name").unwrap().unwrap();
    assert_eq!(brand.text_content().unwrap(), "Traceglass");

    let heading = container.query_selector("main h1").unwrap().unwrap();
    assert_eq!(heading.text_content().unwrap(), "Drop trace files here");

    let formats = container.query_selector("ul[aria-label='Accepted formats']").unwrap().unwrap();
    let names: Vec<String> = (0..formats.children().length())
        .filter_map(|i| formats.children().item(i))
        .filter_map(|item| item.query_selector("strong").ok().flatten())
        .filter_map(|strong| strong.text_content())
        .collect();
    assert_eq!(names, ["Jaeger JSON", "OTLP JSON", "Zipkin v2"]);
    container.remove();
}

#[wasm_bindgen_test]
async fn theme_toggle_switches_and_remembers_the_theme() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item("traceglass.theme", "light").unwrap();

    let (container, handle) = mount_app();
    next_tick().await;
    assert_eq!(theme_attribute().as_deref(), Some("light"));

    let toggle: HtmlElement = container.query_selector("button.theme-toggle").unwrap().unwrap().unchecked_into();
    assert_eq!(toggle.get_attribute("aria-label").as_deref(), Some("Switch to dark theme"));

    toggle.click();
    next_tick().await;
    assert_eq!(theme_attribute().as_deref(), Some("dark"));
    assert_eq!(toggle.get_attribute("aria-label").as_deref(), Some("Switch to light theme"));
    assert_eq!(storage.get_item("traceglass.theme").unwrap().as_deref(), Some("dark"));

    // A new mount starts from the remembered choice.
    drop(handle);
    container.remove();
    let (container, _handle) = mount_app();
    next_tick().await;
    assert_eq!(theme_attribute().as_deref(), Some("dark"));
    container.remove();
}

/// Mounts the trace page over the checkout sample, loaded straight into the state.
fn mount_checkout() -> (HtmlElement, impl Drop) {
    use std::sync::Arc;
    use traceglass::core::engine::answers::answer;
    use traceglass::core::import::import_file;
    use traceglass::core::model::{TraceIdx, TraceSetBuilder};
    use traceglass::io::kept_engine::answer_on_page;
    use traceglass::ui::state::{provide_state, Loaded, Selection};

    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), || {
        provide_state();
        let mut builder = TraceSetBuilder::new();
        import_file(&mut builder, "checkout.json", include_bytes!("../public/samples/checkout.json")).unwrap();
        let set = Arc::new(builder.finish());
        // No engine's worker here: the engine's own answers, on the page's thread.
        let answered = Arc::clone(&set);
        answer_on_page(move |request| answer(&answered, &request));
        expect_context::<Loaded>().0.set(Some(set));
        expect_context::<Selection>().trace.set(Some(TraceIdx(0)));
        view! { <traceglass::ui::trace::TracePage/> }
    });
    (container, handle)
}

/// Waits for the timeline's rows: the timeline is built a task after the rest of the trace page.
async fn rows_drawn(container: &HtmlElement) {
    for _ in 0..20 {
        next_tick().await;
        if !tree_items(container).is_empty() {
            return;
        }
    }
    panic!("the timeline drew no rows");
}

fn tree_items(container: &HtmlElement) -> Vec<web_sys::Element> {
    let list = container.query_selector_all("[role='tree'] [role='treeitem']").unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).map(|node| node.unchecked_into()).collect()
}

#[wasm_bindgen_test]
async fn tree_rows_carry_level_expansion_and_names() {
    let (container, _handle) = mount_checkout();
    rows_drawn(&container).await;
    let rows = tree_items(&container);
    assert_eq!(rows.len(), 9);
    let levels: Vec<String> = rows.iter().map(|row| row.get_attribute("aria-level").unwrap()).collect();
    assert_eq!(levels, ["1", "2", "2", "2", "3", "3", "4", "4", "2"]);
    assert_eq!(rows[0].get_attribute("aria-label").unwrap(), "api-gateway POST /api/checkout, 1.48 s");
    assert_eq!(rows[0].get_attribute("aria-expanded").as_deref(), Some("true"));
    assert_eq!(rows[1].get_attribute("aria-expanded"), None, "a leaf has no aria-expanded");

    // Collapsing `order` hides its four descendants.
    let order = rows[3].clone();
    let toggle: HtmlElement = order.query_selector("button.toggle").unwrap().unwrap().unchecked_into();
    toggle.click();
    next_tick().await;
    let rows = tree_items(&container);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[3].get_attribute("aria-expanded").as_deref(), Some("false"));
    container.remove();
}

#[wasm_bindgen_test]
async fn selecting_a_row_fills_the_span_details() {
    let (container, _handle) = mount_checkout();
    rows_drawn(&container).await;
    let query: HtmlElement = tree_items(&container)
        .into_iter()
        .find(|row| row.get_attribute("aria-label").unwrap().starts_with("database INSERT payments"))
        .unwrap()
        .unchecked_into();
    query.click();
    next_tick().await;
    assert_eq!(query.get_attribute("aria-selected").as_deref(), Some("true"));
    let details = container.query_selector("[role='region'][aria-label='Span details']").unwrap().unwrap();
    assert_eq!(details.query_selector("h2").unwrap().unwrap().text_content().unwrap(), "INSERT payments");
    let attributes = details.query_selector("table[aria-label='Attributes']").unwrap().unwrap();
    let rows = attributes.query_selector_all("tr").unwrap();
    let pairs: Vec<(String, String)> = (0..rows.length())
        .filter_map(|i| rows.item(i))
        .map(|row| {
            let row: web_sys::Element = row.unchecked_into();
            let key = row.query_selector("th").unwrap().unwrap().text_content().unwrap();
            let value = row.query_selector("td").unwrap().unwrap().text_content().unwrap();
            (key, value)
        })
        .collect();
    assert!(pairs.contains(&("db.system".to_owned(), "postgresql".to_owned())), "{pairs:?}");
    assert!(pairs.contains(&("db.lock_wait_ms".to_owned(), "1012".to_owned())), "{pairs:?}");
    // The events: their times from the page's copy, their names from the engine's answer.
    let events = details.query_selector_all(".events .event-name").unwrap();
    let names: Vec<String> =
        (0..events.length()).filter_map(|i| events.item(i)).filter_map(|name| name.text_content()).collect();
    assert_eq!(names, ["waiting for lock", "lock acquired"]);
    container.remove();
}

#[wasm_bindgen_test]
async fn the_find_box_counts_and_marks_matches() {
    let (container, _handle) = mount_checkout();
    rows_drawn(&container).await;
    let input: web_sys::HtmlInputElement =
        container.query_selector("input[aria-label='Find in trace']").unwrap().unwrap().unchecked_into();
    input.set_value("service:payment");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    next_tick().await;
    let count = container.query_selector(".find-count").unwrap().unwrap().text_content().unwrap();
    assert_eq!(count, "2 matches");
    let marked: Vec<String> = tree_items(&container)
        .iter()
        .filter(|row| row.class_list().contains("match"))
        .map(|row| row.get_attribute("aria-label").unwrap())
        .collect();
    assert_eq!(marked.len(), 2);
    assert!(marked.iter().all(|name| name.starts_with("payment ")), "{marked:?}");

    input.set_value("\"unclosed");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    next_tick().await;
    let count = container.query_selector(".find-count").unwrap().unwrap().text_content().unwrap();
    assert!(count.contains("not closed"), "{count}");
    container.remove();
}

#[wasm_bindgen_test]
fn chromium_hands_streams_over_to_workers() {
    // The browser the project is tested in transfers streams: a trace opened from Jaeger goes to
    // the engine as its answer's body stream.
    assert!(traceglass::io::engine::streams_transfer());
}

#[wasm_bindgen_test]
async fn a_stream_is_read_whole_where_it_cannot_be_handed_over() {
    // Where a browser cannot hand a stream over, the page reads the answer itself.
    let text = r#"{"data":[]}"#.repeat(5000);
    let response = web_sys::Response::new_with_opt_str(Some(&text)).unwrap();
    let bytes = traceglass::io::engine::read_whole(response.body().unwrap()).await.unwrap();
    assert_eq!(bytes, text.as_bytes());
    // A stream already read cannot be read again: the reason is given.
    let used = web_sys::Response::new_with_opt_str(Some("{}")).unwrap();
    let stream = used.body().unwrap();
    let _reader = stream.get_reader();
    let why = traceglass::io::engine::read_whole(stream).await.unwrap_err();
    assert!(!why.is_empty());
}
