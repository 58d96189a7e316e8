#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Encoding on a busy machine: with other processes holding every core but one, the same work takes
//! at most twice as long as on the quiet machine (#11). A test binary of its own, so no other test
//! of this crate encodes at the same time. Needs the model file (`cargo xtask fetch-model`).

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use seatmate_embed::{model_for_test, Encoder, Role};

/// Processes that each keep one core busy until dropped.
struct Load(Vec<Child>);

impl Load {
    fn on(cores: usize) -> Load {
        Load((0..cores).map(|_| Command::new("sh").args(["-c", "while :; do :; done"]).spawn().unwrap()).collect())
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// What a live desk asks of the encoder: short customer turns one at a time, then a batch of
/// passages as an index rebuild sends them. The best of three rounds.
fn workload(encoder: &Encoder) -> Duration {
    let turns: Vec<String> = (0..24).map(|i| format!("第{i}次来电：我的宽带又断了，师傅什么时候能上门？ order #{i}")).collect();
    let passages: Vec<String> =
        (0..48).map(|i| format!("宽带故障第{i}步：先重启光猫，指示灯仍为红色时登记报修工单，承诺24小时内上门。")).collect();
    let passages: Vec<&str> = passages.iter().map(String::as_str).collect();
    (0..3)
        .map(|_| {
            let started = Instant::now();
            for turn in &turns {
                encoder.embed(turn, Role::Query).unwrap();
            }
            encoder.embed_batch(&passages, Role::Passage).unwrap();
            started.elapsed()
        })
        .min()
        .unwrap()
}

#[test]
fn encoding_with_the_other_cores_busy_takes_at_most_twice_the_quiet_time() {
    let Some(path) = model_for_test("encoding_with_the_other_cores_busy_takes_at_most_twice_the_quiet_time").unwrap() else {
        return;
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 {
        println!("skipped: one core, nothing to share");
        return;
    }
    let encoder = Encoder::load(&path).unwrap();
    workload(&encoder); // warm: pages of the model file, the allocator
    let quiet = workload(&encoder);
    let loaded = {
        let _load = Load::on(cores - 1);
        std::thread::sleep(Duration::from_millis(500)); // the load shows in the cores' counters
        workload(&encoder)
    };
    println!("quiet {quiet:?}, with {} of {cores} cores busy {loaded:?}", cores - 1);
    assert!(loaded <= quiet * 2, "quiet {quiet:?}, loaded {loaded:?}");
}
