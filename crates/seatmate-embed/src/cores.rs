//! How many cores the engine's OpenMP team may use right now: the cores this process may run on,
//! less those other processes kept busy over the last moment.
//!
//! Every engine call is a chain of parallel loops, each ending at a barrier. When another process
//! holds a core, the engine's thread on that core runs only in time slices and every barrier waits
//! for it: an encoding that takes 10 ms on a quiet machine took seconds. With a team no larger than
//! the free cores there is no thread to wait for. (Batches do not use a team at all: `Encoder`
//! splits them into independent single-threaded calls, which share a busy core without waiting.) Linux reads `/proc/stat` (all processes) and
//! `/proc/self/stat` (this one); elsewhere every core counts as free.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The shortest span the busy share is measured over: `/proc/stat` counts in ticks of 10 ms.
const WINDOW: Duration = Duration::from_millis(200);

/// The process-wide estimate (the cores are the machine's, not an encoder's).
pub(crate) fn free_cores() -> usize {
    machine().now()
}

/// The cores this process may use (affinity and cgroup quota), busy or not.
pub(crate) fn allowed_cores() -> usize {
    machine().cores
}

fn machine() -> &'static FreeCores {
    static FREE: OnceLock<FreeCores> = OnceLock::new();
    FREE.get_or_init(FreeCores::new)
}

struct FreeCores {
    /// The cores this process may use (affinity and cgroup quota).
    cores: usize,
    /// The last sample and the estimate drawn from it.
    state: Mutex<(Option<Sample>, usize)>,
}

#[derive(Clone, Copy)]
struct Sample {
    at: Instant,
    machine: CpuTimes,
    own_ticks: u64,
}

impl FreeCores {
    fn new() -> FreeCores {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        FreeCores { cores, state: Mutex::new((read_sample(), cores)) }
    }

    /// The estimate, measured again when the last measurement is older than [`WINDOW`].
    fn now(&self) -> usize {
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (last, estimate) = &mut *state;
        if last.is_none_or(|sample| sample.at.elapsed() >= WINDOW) {
            if let Some(sample) = read_sample() {
                if let Some(before) = last {
                    *estimate = free_between(self.cores, before, &sample);
                }
                *last = Some(sample);
            }
        }
        *estimate
    }
}

/// The cores left to this process between two samples: its `cores` less the cores other processes
/// kept busy on average (rounded), at least one.
fn free_between(cores: usize, before: &Sample, after: &Sample) -> usize {
    let total = after.machine.total.saturating_sub(before.machine.total);
    let busy = after.machine.busy.saturating_sub(before.machine.busy);
    let own = after.own_ticks.saturating_sub(before.own_ticks);
    let machine_cpus = after.machine.cpus.max(1);
    if total == 0 {
        return cores;
    }
    // the machine's busy share, in cores of this process's allowance (a container sees the
    // host's counters; its share of the host is what it may use)
    let wall_ticks = total as f64 / machine_cpus as f64;
    let others_busy = busy.saturating_sub(own) as f64 / wall_ticks * cores as f64 / machine_cpus as f64;
    let free = cores as f64 - others_busy;
    (free.round() as usize).clamp(1, cores)
}

/// Ticks summed over every CPU, from the first line of `/proc/stat`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct CpuTimes {
    /// Every state.
    total: u64,
    /// Running anything, or taken by the hypervisor (steal): not available.
    busy: u64,
    /// The `cpuN` lines.
    cpus: usize,
}

fn read_sample() -> Option<Sample> {
    let machine = parse_proc_stat(&std::fs::read_to_string("/proc/stat").ok()?)?;
    let own_ticks = parse_own_ticks(&std::fs::read_to_string("/proc/self/stat").ok()?)?;
    Some(Sample { at: Instant::now(), machine, own_ticks })
}

/// `cpu  user nice system idle iowait irq softirq steal guest guest_nice` (guest time is already
/// in user time).
fn parse_proc_stat(text: &str) -> Option<CpuTimes> {
    let mut lines = text.lines();
    let first = lines.next()?.strip_prefix("cpu ")?;
    let fields: Vec<u64> = first.split_whitespace().take(8).map(|f| f.parse().ok()).collect::<Option<_>>()?;
    let [user, nice, system, idle, iowait, irq, softirq, steal] = <[u64; 8]>::try_from(fields).ok()?;
    let cpus = lines.filter(|l| l.starts_with("cpu") && l.as_bytes().get(3).is_some_and(u8::is_ascii_digit)).count();
    let busy = user + nice + system + irq + softirq + steal;
    Some(CpuTimes { total: busy + idle + iowait, busy, cpus })
}

/// This process's user and system ticks: fields 14 and 15 of `/proc/self/stat`, counted after the
/// command name's closing parenthesis (the name itself may hold spaces).
fn parse_own_ticks(text: &str) -> Option<u64> {
    let after_name = &text[text.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(user + system)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(total: u64, busy: u64, cpus: usize, own_ticks: u64) -> Sample {
        Sample { at: Instant::now(), machine: CpuTimes { total, busy, cpus }, own_ticks }
    }

    #[test]
    fn proc_stat_and_own_ticks_are_read() {
        let stat = "cpu  100 5 50 800 10 3 2 7 0 0\ncpu0 50 2 25 400 5 1 1 3 0 0\ncpu1 50 3 25 400 5 2 1 4 0 0\nintr 1\n";
        assert_eq!(parse_proc_stat(stat), Some(CpuTimes { total: 977, busy: 167, cpus: 2 }));
        let own = "4242 (seat mate) S 1 2 3 4 5 6 7 8 9 10 120 30 0 0 20 0 3 0";
        assert_eq!(parse_own_ticks(own), Some(150));
        assert_eq!(parse_proc_stat("garbage"), None);
    }

    #[test]
    fn cores_held_by_other_processes_are_not_free() {
        // two CPUs over 1 s (100 ticks each): another process held one core
        let quiet = sample(1_000, 100, 2, 10);
        let held = sample(1_200, 200, 2, 10);
        assert_eq!(free_between(2, &quiet, &held), 1);
        // this process's own work does not count against it
        let own = sample(1_200, 290, 2, 200);
        assert_eq!(free_between(2, &quiet, &own), 2);
        // both held: still one thread
        let both = sample(1_200, 300, 2, 10);
        assert_eq!(free_between(2, &quiet, &both), 1);
        // a container allowed 2 of a 64-CPU host where others keep 8 CPUs busy: 0.25 of its share
        let host_before = sample(64_000, 1_000, 64, 0);
        let host_after = sample(70_400, 1_800, 64, 0);
        assert_eq!(free_between(2, &host_before, &host_after), 2);
    }
}
