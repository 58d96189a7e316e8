//! Reading a WAV file (`hound`) into one `f32` track per channel, and bringing the tracks to the
//! analysis rates (`rubato`'s FFT resampler).

use std::io::Read;

use rubato::audioadapter_buffers::direct::SequentialSliceOfVecs;
use rubato::{Fft, FixedSync, Resampler};

use crate::{VoiceError, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE};

pub(crate) struct Audio {
    pub sample_rate: u32,
    /// One track per channel, samples in [-1, 1].
    pub channels: Vec<Vec<f32>>,
}

fn hound_error(e: hound::Error) -> VoiceError {
    match e {
        hound::Error::FormatError(m) => VoiceError::NotWav(m.to_string()),
        hound::Error::IoError(e) => VoiceError::NotWav(format!("truncated or unreadable: {e}")),
        hound::Error::Unsupported => VoiceError::UnsupportedFormat("this WAV encoding is not supported".to_string()),
        hound::Error::InvalidSampleFormat => VoiceError::UnsupportedFormat("invalid sample format".to_string()),
        other => VoiceError::NotWav(other.to_string()),
    }
}

pub(crate) fn decode<R: Read>(reader: R) -> Result<Audio, VoiceError> {
    let reader = hound::WavReader::new(reader).map_err(hound_error)?;
    let spec = reader.spec();
    if spec.channels == 0 {
        return Err(VoiceError::NotWav("the header says 0 channels".to_string()));
    }
    if spec.channels > 2 {
        return Err(VoiceError::TooManyChannels { channels: spec.channels });
    }
    if !(MIN_SAMPLE_RATE..=MAX_SAMPLE_RATE).contains(&spec.sample_rate) {
        return Err(VoiceError::UnsupportedSampleRate { rate: spec.sample_rate });
    }
    let n = usize::from(spec.channels);
    let interleaved: Vec<f32> = match (spec.sample_format, spec.bits_per_sample) {
        (hound::SampleFormat::Float, 32) => reader.into_samples::<f32>().collect::<Result<_, _>>().map_err(hound_error)?,
        (hound::SampleFormat::Int, 16) => reader
            .into_samples::<i16>()
            .map(|s| s.map(|s| f32::from(s) / 32768.0))
            .collect::<Result<_, _>>()
            .map_err(hound_error)?,
        (hound::SampleFormat::Int, bits @ 1..=32) => {
            let scale = 1.0 / (1u64 << (bits - 1)) as f32;
            reader.into_samples::<i32>().map(|s| s.map(|s| s as f32 * scale)).collect::<Result<_, _>>().map_err(hound_error)?
        }
        (format, bits) => {
            return Err(VoiceError::UnsupportedFormat(format!("{bits}-bit {format:?} samples")));
        }
    };
    let frames = interleaved.len() / n;
    if frames == 0 {
        return Err(VoiceError::Empty);
    }
    let mut channels = vec![Vec::with_capacity(frames); n];
    for frame in interleaved.chunks_exact(n) {
        for (track, &s) in channels.iter_mut().zip(frame) {
            track.push(s);
        }
    }
    Ok(Audio { sample_rate: spec.sample_rate, channels })
}

/// `channels` (at `from` Hz) resampled to `to` Hz.
pub(crate) fn resample(channels: &[Vec<f32>], from: u32, to: u32) -> Result<Vec<Vec<f32>>, VoiceError> {
    let frames = channels.first().map_or(0, Vec::len);
    let n = channels.len();
    let fail = |e: &dyn std::fmt::Display| VoiceError::Resample(e.to_string());
    let mut resampler = Fft::<f32>::new(from as usize, to as usize, 1024, n, FixedSync::Input).map_err(|e| fail(&e))?;
    let input = SequentialSliceOfVecs::new(channels, n, frames).map_err(|e| fail(&e))?;
    let data = resampler.process_all(&input, frames, None).map_err(|e| fail(&e))?.take_data();
    let mut tracks = vec![Vec::with_capacity(data.len() / n); n];
    for frame in data.chunks_exact(n) {
        for (track, &s) in tracks.iter_mut().zip(frame) {
            track.push(s);
        }
    }
    Ok(tracks)
}
