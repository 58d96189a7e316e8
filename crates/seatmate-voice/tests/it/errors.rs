use seatmate_core::Speaker;
use seatmate_voice::{analyze, VoiceConfig, VoiceError};

use crate::synth;

fn err(bytes: &[u8]) -> VoiceError {
    analyze(bytes, &VoiceConfig::default()).unwrap_err()
}

#[test]
fn not_a_wav() {
    assert!(matches!(err(b"hello, this is text"), VoiceError::NotWav(_)));
    assert!(matches!(err(b""), VoiceError::NotWav(_)));
    let e = err(b"RIFF\x10\x00\x00\x00WAVEfmt ");
    assert!(matches!(e, VoiceError::NotWav(_)), "{e:?}");
    assert!(e.to_string().starts_with("not a WAV file"), "{e}");
}

#[test]
fn empty_recording() {
    let e = err(&synth::wav(8000, &[vec![]]));
    assert!(matches!(e, VoiceError::Empty), "{e:?}");
    assert_eq!(e.to_string(), "the recording has no samples");
}

#[test]
fn unsupported_rates() {
    for rate in [4000, 96_000] {
        let e = err(&synth::wav(rate, &[vec![0.0; 1000]]));
        assert!(matches!(e, VoiceError::UnsupportedSampleRate { rate: r } if r == rate), "{e:?}");
        assert!(e.to_string().contains(&format!("{rate} Hz")), "{e}");
    }
}

#[test]
fn too_many_channels() {
    let e = err(&synth::wav(8000, &[vec![0.0; 100], vec![0.0; 100], vec![0.0; 100]]));
    assert!(matches!(e, VoiceError::TooManyChannels { channels: 3 }), "{e:?}");
}

#[test]
fn unsupported_encoding() {
    // a µ-law header (format tag 7), as telephone systems write
    let mut bytes = synth::wav(8000, &[vec![0.0; 100]]);
    bytes[20] = 7;
    let e = err(&bytes);
    assert!(matches!(e, VoiceError::UnsupportedFormat(_)), "{e:?}");
    assert!(e.to_string().contains("µ-law"), "{e}");
}

#[test]
fn other_sample_formats_are_read() {
    // 32-bit float and 24-bit integer files of the same speech give the same speech spans
    let track = synth::track(8000, 3.0, 180.0, &[(0.5, 2.0)], 9);
    let reference = analyze(&synth::wav(8000, std::slice::from_ref(&track)), &VoiceConfig::default()).unwrap();
    for (format, bits) in [(hound::SampleFormat::Float, 32), (hound::SampleFormat::Int, 24)] {
        let spec = hound::WavSpec { channels: 1, sample_rate: 8000, bits_per_sample: bits, sample_format: format };
        let mut cursor = std::io::Cursor::new(Vec::new());
        let mut w = hound::WavWriter::new(&mut cursor, spec).unwrap();
        for &s in &track {
            match format {
                hound::SampleFormat::Float => w.write_sample(s).unwrap(),
                hound::SampleFormat::Int => w.write_sample((s * 8_388_607.0) as i32).unwrap(),
            }
        }
        w.finalize().unwrap();
        let f = analyze(cursor.get_ref(), &VoiceConfig::default()).unwrap();
        assert_eq!(f.channels[0].speech, reference.channels[0].speech, "{bits}-bit {format:?}");
    }
}

#[test]
fn bad_configuration() {
    let wav = synth::wav(8000, &[vec![0.0; 8000]]);
    for config in [
        VoiceConfig { hop_ms: 5, ..VoiceConfig::default() },
        VoiceConfig { vad_threshold: 1.5, ..VoiceConfig::default() },
        VoiceConfig { pitch_min_hz: 300.0, pitch_max_hz: 200.0, ..VoiceConfig::default() },
        VoiceConfig { stereo_speakers: [Speaker::Agent, Speaker::Agent], ..VoiceConfig::default() },
    ] {
        let e = analyze(&wav, &config).unwrap_err();
        assert!(matches!(e, VoiceError::InvalidConfig(_)), "{e:?}");
    }
}
