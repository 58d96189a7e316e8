//! Import files as the parsers see them: UTF-8 (converted from `--encoding` when it names another
//! one), read whole for the formats that are one record per file, or streamed for the ones that
//! grow with the history.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context as _};
use encoding_rs::{DecoderResult, Encoding};

/// The character encodings import files may come in besides UTF-8: Chinese CSV files saved by
/// spreadsheet programs are often GBK/GB18030 (Simplified) or Big5 (Traditional).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FileEncoding {
    Utf8,
    /// GBK, read as GB18030 (its superset)
    Gbk,
    Gb18030,
    Big5,
}

impl FileEncoding {
    fn encoding(self) -> &'static Encoding {
        match self {
            FileEncoding::Utf8 => encoding_rs::UTF_8,
            FileEncoding::Gbk | FileEncoding::Gb18030 => encoding_rs::GB18030,
            FileEncoding::Big5 => encoding_rs::BIG5,
        }
    }

    fn name(self) -> String {
        format!("{self:?}").to_uppercase()
    }
}

/// The encoding this run's import files are in (`import --encoding`); UTF-8 when not set.
static ENCODING: std::sync::OnceLock<FileEncoding> = std::sync::OnceLock::new();

pub fn set_encoding(encoding: FileEncoding) {
    let _ = ENCODING.set(encoding);
}

fn encoding() -> FileEncoding {
    ENCODING.get().copied().unwrap_or(FileEncoding::Utf8)
}

const CHUNK: usize = 64 * 1024;

/// Reads `input` in `encoding` and hands it on as UTF-8; a byte sequence that is not valid in
/// `encoding` fails the read, naming its line.
struct Decoded<R> {
    input: R,
    encoding: FileEncoding,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    raw_at: usize,
    out: Vec<u8>,
    out_at: usize,
    out_end: usize,
    at_end: bool,
    /// The line the decoder has reached, 1-based.
    line: u64,
    /// The line of the first sequence that is not valid in `encoding`.
    bad_line: Option<u64>,
}

impl<R: Read> Decoded<R> {
    fn new(input: R, encoding: FileEncoding) -> Self {
        Decoded {
            input,
            encoding,
            decoder: encoding.encoding().new_decoder_without_bom_handling(),
            raw: Vec::with_capacity(CHUNK),
            raw_at: 0,
            out: vec![0; CHUNK * 2],
            out_at: 0,
            out_end: 0,
            at_end: false,
            line: 1,
            bad_line: None,
        }
    }

    /// Decodes the next stretch into `out`; `false` at the end of the input.
    fn refill(&mut self) -> std::io::Result<bool> {
        loop {
            if self.raw_at == self.raw.len() && !self.at_end {
                self.raw.resize(CHUNK, 0);
                let n = self.input.read(&mut self.raw)?;
                self.raw.truncate(n);
                self.raw_at = 0;
                self.at_end = n == 0;
            }
            let (result, read, written) =
                self.decoder.decode_to_utf8_without_replacement(&self.raw[self.raw_at..], &mut self.out, self.at_end);
            let decoded = &self.raw[self.raw_at..self.raw_at + read];
            if let DecoderResult::Malformed(..) = result {
                let before = decoded.iter().filter(|b| **b == b'\n').count() as u64;
                let line = self.line + before;
                self.bad_line = Some(line);
                return Err(std::io::Error::other(format!("line {line}: not valid {}", self.encoding.name())));
            }
            self.line += decoded.iter().filter(|b| **b == b'\n').count() as u64;
            self.raw_at += read;
            (self.out_at, self.out_end) = (0, written);
            if written > 0 {
                return Ok(true);
            }
            if self.at_end && matches!(result, DecoderResult::InputEmpty) {
                return Ok(false);
            }
        }
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.out_at == self.out_end && !self.refill()? {
            return Ok(0);
        }
        let n = (self.out_end - self.out_at).min(buf.len());
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

/// Counts the bytes read from a file, for a progress bar in bytes.
struct Counted<R> {
    input: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.input.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn open_file(path: &Path) -> anyhow::Result<File> {
    File::open(path).with_context(|| format!("cannot open {}", path.display()))
}

/// A file to stream through a parser, as UTF-8; `read` counts the bytes taken from the file.
/// A file in another encoding is converted when `--encoding` names it; otherwise a file that is
/// not UTF-8 is refused first (one pass, no memory) with its line and the encoding it reads
/// cleanly in, when it is one of the usual Chinese ones.
pub fn open(path: &Path, read: Arc<AtomicU64>) -> anyhow::Result<Box<dyn BufRead + Send>> {
    let encoding = encoding();
    if encoding == FileEncoding::Utf8 {
        refuse_if_not_utf8(path)?;
    }
    let counted = Counted { input: open_file(path)?, read };
    Ok(match encoding {
        FileEncoding::Utf8 => Box::new(BufReader::with_capacity(CHUNK, counted)),
        other => Box::new(BufReader::with_capacity(CHUNK, Decoded::new(counted, other))),
    })
}

/// A file a parser reads twice (STC-3: once for its language), streamed when it is UTF-8 and
/// converted in memory when `--encoding` names another encoding.
pub fn open_seekable(path: &Path, read: Arc<AtomicU64>) -> anyhow::Result<Box<dyn SeekableText>> {
    if encoding() == FileEncoding::Utf8 {
        refuse_if_not_utf8(path)?;
        return Ok(Box::new(BufReader::with_capacity(CHUNK, Counted { input: open_file(path)?, read })));
    }
    let bytes = self::read(path)?;
    read.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    Ok(Box::new(std::io::Cursor::new(bytes)))
}

pub trait SeekableText: BufRead + Seek + Send {}

impl<T: BufRead + Seek + Send> SeekableText for T {}

impl<R: Seek> Seek for Counted<R> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.input.seek(to)
    }
}

/// A whole file as UTF-8 (for the formats where one file is one record).
pub fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open(path, Arc::default())?
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}; check --encoding", path.display()))?;
    Ok(bytes)
}

/// Whether the whole file decodes in `encoding` without a malformed sequence (its line if not).
fn first_bad_line(path: &Path, encoding: FileEncoding) -> anyhow::Result<Option<u64>> {
    let mut decoded = Decoded::new(open_file(path)?, encoding);
    let mut sink = vec![0; CHUNK];
    loop {
        match decoded.read(&mut sink) {
            Ok(0) => return Ok(None),
            Ok(_) => {}
            Err(_) if decoded.bad_line.is_some() => return Ok(decoded.bad_line),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }
}

fn refuse_if_not_utf8(path: &Path) -> anyhow::Result<()> {
    let Some(line) = first_bad_line(path, FileEncoding::Utf8)? else { return Ok(()) };
    let mut fits = None;
    for candidate in [FileEncoding::Gb18030, FileEncoding::Big5] {
        if first_bad_line(path, candidate)?.is_none() {
            fits = Some(candidate);
            break;
        }
    }
    let hint = match fits {
        Some(encoding) => format!(
            "; it reads cleanly as {}: add --encoding {}, or save it as UTF-8",
            encoding.name(),
            encoding.name().to_lowercase()
        ),
        None => "; save it as UTF-8, or name its encoding with --encoding gbk|gb18030|big5".into(),
    };
    bail!("{}:{line}: the file is not UTF-8{hint}", path.display());
}
