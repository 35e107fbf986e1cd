//! The browser entry point: install the panic hook and mount the application. Nothing else.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(traceglass::ui::App);
}
