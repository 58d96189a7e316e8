//! A case's recording: the WAV its conversation's `audio_ref` names, under the audio directory,
//! and what `seatmate-voice` hears in it — speech on each side, silences, talk-over, pitch and
//! energy contours, and each turn's speech rate — for the case timeline.

use std::path::{Component, Path, PathBuf};

use seatmate_store::Scope;
use seatmate_voice::{SpeechRates, VoiceConfig, VoiceFeatures};
use serde::{Deserialize, Serialize};

use crate::{joined, Coach, LearnError, Result};

/// The largest recording read (a 2-hour 16 kHz stereo call is about 460 MB; telephone 8 kHz half).
pub const MAX_AUDIO_BYTES: u64 = 512 * 1024 * 1024;

/// What the recording of a case shows.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseVoice {
    pub features: VoiceFeatures,
    pub rates: SpeechRates,
}

impl Coach {
    /// Recordings are looked up under `dir` (a conversation's `audio_ref` is relative to it).
    pub fn with_audio_dir(mut self, dir: PathBuf) -> Coach {
        self.audio_dir = Some(dir);
        self
    }

    /// The path of a case's recording; NotFound when there is no such case, or it has no recording
    /// (or no audio directory is set).
    async fn recording(&self, id: &str) -> Result<(PathBuf, seatmate_core::Conversation)> {
        if self.store.case(id).await?.is_none() {
            return Err(LearnError::NotFound(format!("case {id}")));
        }
        let conversation =
            self.store.conversation(&Scope::All, id).await?.ok_or_else(|| LearnError::NotFound(format!("case {id}")))?;
        let (Some(dir), Some(reference)) = (&self.audio_dir, conversation.audio_ref.as_deref()) else {
            return Err(LearnError::NotFound(format!("a recording of case {id}")));
        };
        Ok((resolve(dir, reference)?, conversation))
    }

    /// A case's curation status, `None` when there is no such case.
    pub async fn cases_status(&self, id: &str) -> Result<Option<String>> {
        Ok(self.store.case(id).await?.map(|c| c.status))
    }

    /// The case's recording, as stored (a WAV file).
    pub async fn case_audio(&self, id: &str) -> Result<Vec<u8>> {
        let (path, _) = self.recording(id).await?;
        read(&path).await
    }

    /// What the recording of a case shows, with each timed turn's speech rate.
    pub async fn case_voice(&self, id: &str) -> Result<CaseVoice> {
        let (path, conversation) = self.recording(id).await?;
        let bytes = read(&path).await?;
        tokio::task::spawn_blocking(move || {
            let features = seatmate_voice::analyze(&bytes, &VoiceConfig::default())
                .map_err(|e| LearnError::InvalidInput(format!("recording {}: {e}", path.display())))?;
            let rates = seatmate_voice::speech_rate(&features, &conversation.turns);
            Ok(CaseVoice { features, rates })
        })
        .await
        .map_err(joined)?
    }
}

/// `reference` under `dir`, refusing absolute paths and `..` (a reference never leaves the dir).
fn resolve(dir: &Path, reference: &str) -> Result<PathBuf> {
    let relative = Path::new(reference);
    if !relative.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir)) {
        return Err(LearnError::InvalidInput(format!("audio_ref {reference:?} must be a path inside the audio directory")));
    }
    Ok(dir.join(relative))
}

async fn read(path: &Path) -> Result<Vec<u8>> {
    let missing = || LearnError::NotFound(format!("the recording {}", path.display()));
    let meta = tokio::fs::metadata(path).await.map_err(|_| missing())?;
    if meta.len() > MAX_AUDIO_BYTES {
        return Err(LearnError::InvalidInput(format!("the recording {} is larger than 512 MB", path.display())));
    }
    tokio::fs::read(path).await.map_err(|_| missing())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_stay_inside_the_audio_directory() {
        let dir = Path::new("/data/audio");
        assert_eq!(resolve(dir, "calls/C-1.wav").unwrap(), Path::new("/data/audio/calls/C-1.wav"));
        assert!(resolve(dir, "../secrets.wav").is_err());
        assert!(resolve(dir, "/etc/passwd").is_err());
        assert!(resolve(dir, "calls/../../x.wav").is_err());
    }
}
