//! Where live events go: every replica's desks subscribe to the same stream.

use tokio::sync::broadcast;

use crate::LiveEvent;

/// Events a subscriber has not read yet before it is told it fell behind (and reloads).
const BACKLOG: usize = 4096;

pub trait EventBus: Send + Sync {
    fn publish(&self, event: LiveEvent);
    fn subscribe(&self) -> broadcast::Receiver<LiveEvent>;
}

/// The embedded default: one process, one broadcast channel.
pub struct LocalBus(broadcast::Sender<LiveEvent>);

impl Default for LocalBus {
    fn default() -> Self {
        LocalBus(broadcast::channel(BACKLOG).0)
    }
}

impl EventBus for LocalBus {
    fn publish(&self, event: LiveEvent) {
        // no subscriber is not an error: nobody is watching
        let _ = self.0.send(event);
    }

    fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.0.subscribe()
    }
}
