//! Fetches `config.json` beside the page at start-up. An absent file means the defaults; a file
//! that cannot be read gives the defaults and a message for the user.

use crate::core::config::Config;

/// The settings, and a sentence for the user when the file was there but unreadable.
pub async fn fetch_config() -> (Config, Option<String>) {
    let response = match gloo_net::http::Request::get("config.json").send().await {
        Ok(response) => response,
        Err(error) => {
            return (
                Config::default(),
                Some(format!("config.json: could not be fetched ({error}); the defaults are used")),
            )
        }
    };
    if response.status() == 404 {
        return (Config::default(), None);
    }
    if !response.ok() {
        let message = format!(
            "config.json: the server answered HTTP {} {}; the defaults are used",
            response.status(),
            response.status_text()
        );
        return (Config::default(), Some(message));
    }
    match response.text().await {
        Ok(text) => match Config::parse(&text) {
            Ok(config) => (config, None),
            Err(error) => (Config::default(), Some(format!("config.json: {error}; the defaults are used"))),
        },
        Err(error) => {
            (Config::default(), Some(format!("config.json: could not be read ({error}); the defaults are used")))
        }
    }
}
