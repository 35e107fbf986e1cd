//! Loading traces: the file picker, dropping files anywhere on the page, `?url=` at start-up,
//! and the status, alert and progress elements of the UI contract.

mod engine;
mod loader;
mod notices;
mod picker;

pub use loader::{load_fetched, load_urls, start_up};
pub use notices::Notices as NoticesView;
pub(crate) use picker::load_files;
pub use picker::{DropZone, FilePicker};
