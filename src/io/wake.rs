//! One task waiting for a signal from a browser callback (a message, a reply): the waiting task
//! awaits a promise whose resolve function is kept here, and the callback calls it.

use std::cell::RefCell;

use wasm_bindgen::JsValue;

/// A wake-up for one waiting task.
#[derive(Default)]
pub struct Wake {
    waiting: RefCell<Option<js_sys::Function>>,
}

impl Wake {
    /// Waits until [`Wake::wake`] is called (a call before this wait is not remembered: check
    /// what is waited for before waiting, and again after).
    pub async fn wait(&self) {
        let woken = js_sys::Promise::new(&mut |resolve, _| *self.waiting.borrow_mut() = Some(resolve));
        let _ = wasm_bindgen_futures::JsFuture::from(woken).await;
    }

    /// Wakes the waiting task, if one waits.
    pub fn wake(&self) {
        let waiting = self.waiting.borrow_mut().take();
        if let Some(resolve) = waiting {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}
