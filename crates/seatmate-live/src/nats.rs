//! The event bus across replicas: NATS JetStream (`--nats nats://…`).
//!
//! Every replica publishes its events, in order, to one stream and reads every replica's events
//! back through an ordered consumer, so a desk connected to any replica sees each conversation's
//! events in the order they were applied. Local desks get their own replica's events the same way
//! (one path, one order). A publish is retried until the stream acknowledges it, with a message id
//! that makes a retried publish count once; the consumer resumes after the last event it delivered.

use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream};
use futures_util::StreamExt as _;
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc};

use crate::{EventBus, LiveEvent};

const STREAM: &str = "SEATMATE_LIVE";
const SUBJECT: &str = "seatmate.live.events";
/// Live events matter while a conversation goes on; the store keeps what lasts.
const MAX_AGE: Duration = Duration::from_secs(3600);
const BACKLOG: usize = 4096;
const RETRY: Duration = Duration::from_millis(250);

/// What crosses NATS: the event and the team it is for (which the desks' wire format leaves out).
#[derive(Serialize, Deserialize)]
struct Envelope {
    team: Option<String>,
    event: LiveEvent,
}

pub struct NatsBus {
    outbox: mpsc::UnboundedSender<LiveEvent>,
    delivered: broadcast::Sender<LiveEvent>,
}

impl NatsBus {
    /// Connects to `url`, makes sure the stream exists, and starts reading it from now on.
    pub async fn connect(url: &str) -> Result<NatsBus, async_nats::Error> {
        let client = async_nats::ConnectOptions::new().name("seatmate").connect(url).await?;
        let context = jetstream::new(client);
        let stream = context
            .get_or_create_stream(stream::Config {
                name: STREAM.into(),
                subjects: vec![SUBJECT.into()],
                max_age: MAX_AGE,
                ..Default::default()
            })
            .await?;
        let consumer = stream.create_consumer(ordered(consumer::DeliverPolicy::New)).await?;
        let messages = consumer.messages().await?;
        let (delivered, _) = broadcast::channel(BACKLOG);
        let (outbox, unsent) = mpsc::unbounded_channel();
        tokio::spawn(publish_in_order(context, unsent));
        tokio::spawn(deliver(stream, messages, delivered.clone()));
        Ok(NatsBus { outbox, delivered })
    }
}

impl EventBus for NatsBus {
    fn publish(&self, event: LiveEvent) {
        // the publisher task lives as long as the bus
        let _ = self.outbox.send(event);
    }

    fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.delivered.subscribe()
    }
}

fn ordered(deliver_policy: consumer::DeliverPolicy) -> consumer::pull::OrderedConfig {
    consumer::pull::OrderedConfig { filter_subject: SUBJECT.into(), deliver_policy, ..Default::default() }
}

/// Publishes each event once the one before it is acknowledged, retrying until it is.
async fn publish_in_order(context: jetstream::Context, mut unsent: mpsc::UnboundedReceiver<LiveEvent>) {
    let replica = uuid::Uuid::new_v4().simple().to_string();
    let mut published = 0_u64;
    while let Some(event) = unsent.recv().await {
        published += 1;
        let team = event.audience.team.clone();
        let payload = match serde_json::to_vec(&Envelope { team, event }) {
            Ok(payload) => payload,
            Err(error) => {
                tracing::error!(%error, "a live event that cannot be serialised is not published");
                continue;
            }
        };
        // the same id on a retry: JetStream keeps one copy
        let id = format!("{replica}-{published}");
        loop {
            let message = jetstream::message::PublishMessage::build().payload(payload.clone().into()).message_id(&id);
            let acked = match context.send_publish(SUBJECT, message).await {
                Ok(ack) => ack.await.map(|_| ()).map_err(async_nats::Error::from),
                Err(error) => Err(error.into()),
            };
            match acked {
                Ok(()) => break,
                Err(error) => {
                    tracing::warn!(%error, "live event not yet on NATS; retrying");
                    tokio::time::sleep(RETRY).await;
                }
            }
        }
    }
}

/// Hands every event on the stream to this replica's subscribers, resuming after the last one
/// delivered when the consumer has to be made again.
async fn deliver(stream: stream::Stream, mut messages: consumer::pull::Ordered, delivered: broadcast::Sender<LiveEvent>) {
    let mut last = None;
    loop {
        while let Some(message) = messages.next().await {
            let message = match message {
                Ok(message) => message,
                Err(error) => {
                    tracing::warn!(%error, "reading live events from NATS");
                    continue;
                }
            };
            if let Ok(info) = message.info() {
                last = Some(info.stream_sequence);
            }
            match serde_json::from_slice::<Envelope>(&message.payload) {
                Ok(Envelope { team, mut event }) => {
                    event.audience.team = team;
                    // no subscriber is not an error: nobody is watching
                    let _ = delivered.send(event);
                }
                Err(error) => tracing::warn!(%error, "a live event on NATS that this version cannot read"),
            }
        }
        loop {
            tokio::time::sleep(RETRY).await;
            let policy = match last {
                Some(sequence) => consumer::DeliverPolicy::ByStartSequence { start_sequence: sequence + 1 },
                None => consumer::DeliverPolicy::New,
            };
            let again = match stream.create_consumer(ordered(policy)).await {
                Ok(consumer) => consumer.messages().await.map_err(async_nats::Error::from),
                Err(error) => Err(error.into()),
            };
            match again {
                Ok(resumed) => {
                    messages = resumed;
                    break;
                }
                Err(error) => tracing::warn!(%error, "cannot read live events from NATS; retrying"),
            }
        }
    }
}
