//! The smallest window the app's stack can open: Tauri with a static page and nothing else.
//! `scripts/bench.sh --app` starts it the same way as the app, as the floor for the app's cold
//! start: what WebKit and Tauri cost on this machine before Kith does anything. It draws with
//! or without WebKit's compositing as the app does.

fn main() {
    kith_app::draw_without_compositing_on_software_gl();
    if let Err(e) =
        tauri::Builder::default().run(tauri::generate_context!("examples/hello/tauri.conf.json"))
    {
        eprintln!("the window could not start: {e}");
        std::process::exit(1);
    }
}
