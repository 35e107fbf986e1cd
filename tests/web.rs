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
