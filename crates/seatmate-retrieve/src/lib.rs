//! Knowledge retrieval for the agent: a full-text index (tantivy, BM25) over FAQs, articles and
//! guided flows, searched with the same words as every other Seatmate engine (`seatmate-text`,
//! plus English stemming), each hit with the passage that matched highlighted and the reason.
//!
//! Question-to-question matching: every phrasing of an FAQ is indexed as a value of the
//! `question` field, boosted above the answer, and the phrasing that best matches the query is the
//! hit's passage.
//!
//! Semantic matching: with an encoder attached ([`KnowledgeIndex::with_encoder`]), every phrasing,
//! answer and section is also a multilingual-e5 vector, and a query's candidates from both sides
//! are fused by a logistic model into one calibrated score: the probability that the item answers
//! the query ([`Fusion`]).
//!
//! Invariant: pure computation over the items it is given; no store, HTTP or clock. The only I/O
//! is the index directory the caller names in [`KnowledgeIndex::open`] and the encoder's files.

mod analyzer;
mod dense;
mod fusion;
mod reference;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use seatmate_core::{ErrorKind, KnowledgeBody, KnowledgeItem, KnowledgeKind};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use analyzer::{analyze, SeatmateTokenizer, Term as AnalyzedTerm};
pub use dense::{DenseIndex, Part, Similarity, SimilarityTotals};
pub use fusion::{Calibration, Calibrations, Features, Fusion, TopCard};
use seatmate_embed::{CachedEncoder, Role};

/// Memory the index writer may buffer before it flushes a segment.
const WRITER_MEMORY: usize = 50_000_000;
/// Longest highlighted passage, in characters.
const PASSAGE_CHARS: usize = 240;
/// Longest answer a hit carries, in characters (the full item is a request away).
const ANSWER_CHARS: usize = 1200;
/// Candidates taken from each side (words, meaning) before fusion.
const CANDIDATES: usize = 50;
/// Article sections are cut at paragraph ends to about this many characters.
const SECTION_CHARS: usize = 600;
/// Vectors per item at most: the title or phrasings, then the first sections.
const MAX_VECTORS: usize = 24;

#[derive(Debug, thiserror::Error)]
pub enum RetrieveError {
    #[error("search index failed")]
    Index(#[from] tantivy::TantivyError),
    #[error("cannot open index directory")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("index writer lock poisoned")]
    Poisoned,
    #[error(transparent)]
    Embed(#[from] seatmate_embed::EmbedError),
}

impl RetrieveError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            RetrieveError::Directory(_) => ErrorKind::Unavailable,
            RetrieveError::Index(_) | RetrieveError::Poisoned => ErrorKind::Internal,
            RetrieveError::Embed(e) => e.kind(),
        }
    }
}

pub type Result<T> = std::result::Result<T, RetrieveError>;

/// Which part of an item a hit matched best.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MatchedField {
    /// One of an FAQ's phrasings (question-to-question match).
    Question,
    /// An FAQ's answer.
    Answer,
    Title,
    /// An article's Markdown, or a flow's description and steps.
    Body,
}

/// One search result.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    pub id: String,
    pub key: String,
    pub kind: KnowledgeKind,
    pub title: String,
    /// Estimated probability that the item answers the query: word and meaning match and agents'
    /// feedback fused by a model fitted on English FAQ questions. Its mean error (top card, held
    /// out) is about 0.05 in English and 0.2 in Chinese (BENCHMARKS.md, "Knowledge retrieval").
    pub score: f32,
    /// BM25 score summed over fields with their boosts (0 when found by meaning only): comparable
    /// within one query only.
    pub lexical_score: f32,
    /// Cosine similarity of the query to the item's closest phrasing or passage (absent without
    /// an encoder).
    pub semantic: Option<Similarity>,
    pub matched_field: MatchedField,
    /// The best-matching text (for an FAQ question match, the phrasing itself), as plain text.
    pub passage: String,
    /// What the agent can say or do: an FAQ's answer, the article section that matched (else its
    /// first), a flow's first step.
    pub answer: String,
    /// The matched words in `passage`: `[start, end)` offsets in characters (Unicode scalar
    /// values), in order and not overlapping.
    pub highlights: Vec<[usize; 2]>,
    /// The query's words found in the item, as the query wrote them, in query order: content
    /// words only (no particles, pronouns or single characters; see
    /// [`seatmate_text::is_content_word`]), so they explain the match to a person.
    pub matched_terms: Vec<String>,
    /// Agents' feedback on this item (used minus unhelpful, damped) as it weighed in the score.
    pub feedback: f32,
}

/// Weight of each field in the score: phrasings of a question and titles say what an item is
/// about, answers and bodies mention many things in passing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Boosts {
    pub question: f32,
    pub title: f32,
    pub body: f32,
}

impl Default for Boosts {
    fn default() -> Self {
        Boosts { question: 2.0, title: 1.5, body: 1.0 }
    }
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    key: Field,
    kind: Field,
    title: Field,
    question: Field,
    body: Field,
    /// Stored only: an FAQ's answer or a flow's first step (articles answer with a section).
    answer: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(analyzer::TOKENIZER_NAME).set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        key: builder.add_text_field("key", STORED),
        kind: builder.add_text_field("kind", STORED),
        title: builder.add_text_field("title", text.clone()),
        question: builder.add_text_field("question", text.clone()),
        body: builder.add_text_field("body", text),
        answer: builder.add_text_field("answer", STORED),
    };
    (builder.build(), fields)
}

/// The searchable knowledge base. Writes go through one writer behind a lock; searches never wait
/// for it. An edit is visible to searches as soon as [`KnowledgeIndex::commit`] returns.
pub struct KnowledgeIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    boosts: Boosts,
    semantic: Option<Semantic>,
    calibrations: Calibrations,
    /// Item id → agents' feedback, as [`KnowledgeIndex::set_feedback`] gave it.
    feedback: RwLock<HashMap<String, f32>>,
    min_score: f32,
}

struct Semantic {
    encoder: Arc<CachedEncoder>,
    vectors: RwLock<DenseIndex>,
    /// Vectors of recent queries: live cards ask the same thing again as a conversation goes on.
    recent: Mutex<HashMap<String, Vec<f32>>>,
    /// The reference sentences as a question and as a passage (see `reference.rs`); empty when
    /// they could not be embedded, and the background then comes from the items alone.
    reference: [Vec<Vec<f32>>; 2],
}

/// Recent query vectors kept at most (the map is emptied when it fills).
const RECENT_QUERIES: usize = 4096;

impl Semantic {
    /// The query's background per part: its mean best similarity over the items and the
    /// reference sentences together (the references weigh most in a small knowledge base).
    fn background(&self, vector: &[f32], items: SimilarityTotals) -> Similarity {
        let mean = |rows: &Vec<Vec<f32>>, (sum, n): (f64, usize)| {
            let sum = sum + rows.iter().map(|r| seatmate_embed::cosine(vector, r) as f64).sum::<f64>();
            let n = n + rows.len();
            if n == 0 {
                0.0
            } else {
                (sum / n as f64) as f32
            }
        };
        let [questions, passages] = &self.reference;
        Similarity { question: mean(questions, items[0]), passage: mean(passages, items[1]), ..Similarity::default() }
    }

    fn embed_query(&self, query: &str) -> Result<Vec<f32>> {
        if let Some(vector) = self.recent.lock().ok().and_then(|r| r.get(query).cloned()) {
            return Ok(vector);
        }
        let vector = self.encoder.encoder.embed(query, Role::Query)?;
        if let Ok(mut recent) = self.recent.lock() {
            if recent.len() >= RECENT_QUERIES {
                recent.clear();
            }
            recent.insert(query.to_string(), vector.clone());
        }
        Ok(vector)
    }
}

/// Below this calibrated score a result is not shown: it is more likely wrong than useful.
pub const DEFAULT_MIN_SCORE: f32 = 0.0;

impl KnowledgeIndex {
    /// An index held in memory (tests, evaluation).
    pub fn in_memory() -> Result<Self> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    /// The index in `dir`, created there if the directory holds none.
    pub fn open(dir: &Path) -> Result<Self> {
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)?;
        Self::with_index(Index::open_or_create(directory, schema)?, fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self> {
        index.tokenizers().register(analyzer::TOKENIZER_NAME, SeatmateTokenizer::default());
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(KnowledgeIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            boosts: Boosts::default(),
            semantic: None,
            calibrations: Calibrations::LEXICAL,
            feedback: RwLock::new(HashMap::new()),
            min_score: DEFAULT_MIN_SCORE,
        })
    }

    pub fn with_boosts(mut self, boosts: Boosts) -> Self {
        self.boosts = boosts;
        self
    }

    /// Adds semantic matching: items upserted from now on are embedded too.
    pub fn with_encoder(mut self, encoder: Arc<CachedEncoder>) -> Self {
        let vectors = RwLock::new(DenseIndex::new(encoder.dim()));
        let reference = [Role::Query, Role::Passage].map(|role| {
            encoder.embed_many(reference::SENTENCES, role, &mut |_| {}).unwrap_or_else(|error| {
                tracing::warn!(%error, "reference sentences not embedded: background from the items");
                Vec::new()
            })
        });
        self.semantic = Some(Semantic { encoder, vectors, recent: Mutex::new(HashMap::new()), reference });
        self.calibrations = Calibrations::SEMANTIC;
        self
    }

    pub fn with_calibrations(mut self, calibrations: Calibrations) -> Self {
        self.calibrations = calibrations;
        self
    }

    /// Results scoring below `min_score` are left out (0 keeps everything).
    pub fn with_min_score(mut self, min_score: f32) -> Self {
        self.min_score = min_score;
        self
    }

    pub fn has_encoder(&self) -> bool {
        self.semantic.is_some()
    }

    /// Replaces the agents' feedback: per item id, how many marked it used and unhelpful.
    pub fn set_feedback(&self, counts: impl IntoIterator<Item = (String, u32, u32)>) {
        let prior = counts.into_iter().map(|(id, used, unhelpful)| (id, fusion::feedback_prior(used, unhelpful)));
        if let Ok(mut feedback) = self.feedback.write() {
            *feedback = prior.collect();
        }
    }

    /// Adds the items, replacing any earlier version with the same id. Visible after [`commit`].
    ///
    /// [`commit`]: KnowledgeIndex::commit
    pub fn upsert(&self, items: &[KnowledgeItem]) -> Result<()> {
        self.upsert_with_progress(items, &mut |_, _| {})
    }

    /// [`upsert`](KnowledgeIndex::upsert), telling `progress` (texts embedded, texts in all) as it
    /// goes: embedding is the slow part of a rebuild.
    pub fn upsert_with_progress(&self, items: &[KnowledgeItem], progress: &mut dyn FnMut(usize, usize)) -> Result<()> {
        if let Some(semantic) = &self.semantic {
            let segments: Vec<Vec<(Part, u16, String)>> = items.iter().map(segments).collect();
            let mut vectors = Vec::with_capacity(items.len());
            for role in [Role::Query, Role::Passage] {
                let part = if role == Role::Query { Part::Question } else { Part::Passage };
                let texts: Vec<&str> = segments.iter().flatten().filter(|s| s.0 == part).map(|s| s.2.as_str()).collect();
                let total = segments.iter().flatten().count();
                let offset = if role == Role::Query { 0 } else { total - texts.len() };
                vectors.push(semantic.encoder.embed_many(&texts, role, &mut |done| progress(offset + done, total))?);
            }
            let mut passages = vectors.pop().unwrap_or_default().into_iter();
            let mut questions = vectors.pop().unwrap_or_default().into_iter();
            let mut dense = semantic.vectors.write().map_err(|_| RetrieveError::Poisoned)?;
            for (item, parts) in items.iter().zip(&segments) {
                let rows: Vec<(Part, u16, Vec<f32>)> = parts
                    .iter()
                    .filter_map(|(part, ordinal, _)| {
                        let vector = if *part == Part::Question { questions.next() } else { passages.next() };
                        Some((*part, *ordinal, vector?))
                    })
                    .collect();
                dense.upsert(&item.id, &rows);
            }
        }
        let writer = self.writer.lock().map_err(|_| RetrieveError::Poisoned)?;
        for item in items {
            writer.delete_term(Term::from_field_text(self.fields.id, &item.id));
            writer.add_document(self.document(item))?;
        }
        Ok(())
    }

    /// Removes the item with this id, if indexed. Visible after [`commit`](KnowledgeIndex::commit).
    pub fn delete(&self, id: &str) -> Result<()> {
        if let Some(semantic) = &self.semantic {
            semantic.vectors.write().map_err(|_| RetrieveError::Poisoned)?.delete(id);
        }
        let writer = self.writer.lock().map_err(|_| RetrieveError::Poisoned)?;
        writer.delete_term(Term::from_field_text(self.fields.id, id));
        Ok(())
    }

    /// Removes every item (before a full rebuild).
    pub fn clear(&self) -> Result<()> {
        if let Some(semantic) = &self.semantic {
            let mut dense = semantic.vectors.write().map_err(|_| RetrieveError::Poisoned)?;
            *dense = DenseIndex::new(dense.dim());
        }
        let writer = self.writer.lock().map_err(|_| RetrieveError::Poisoned)?;
        writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes every upsert and delete so far durable and visible to the next search.
    pub fn commit(&self) -> Result<()> {
        let mut writer = self.writer.lock().map_err(|_| RetrieveError::Poisoned)?;
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Number of items visible to searches.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn document(&self, item: &KnowledgeItem) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &item.id);
        doc.add_text(f.key, &item.key);
        doc.add_text(f.kind, item.kind().as_str());
        doc.add_text(f.title, &item.title);
        match &item.body {
            KnowledgeBody::Faq { questions, answer } => {
                for question in questions {
                    doc.add_text(f.question, question);
                }
                doc.add_text(f.body, answer);
                doc.add_text(f.answer, answer);
            }
            KnowledgeBody::Article { markdown } => {
                for section in sections(markdown) {
                    doc.add_text(f.body, section);
                }
            }
            KnowledgeBody::Flow(flow) => {
                doc.add_text(f.body, &flow.description);
                for step in &flow.steps {
                    doc.add_text(f.body, &step.text);
                }
                if let Some(first) = flow.steps.iter().find(|s| s.id == flow.start) {
                    doc.add_text(f.answer, &first.text);
                }
            }
        }
        doc
    }

    /// Every candidate for `query` from words and meaning (up to 50 from each side, `k` if
    /// more), with what the fusion model sees of it, unranked. For evaluation and fitting.
    pub fn candidates(&self, query: &str, k: usize) -> Result<Vec<(String, Features)>> {
        let (terms, _) = query_terms(query);
        let searcher = self.reader.searcher();
        let candidates = self.gather(&searcher, query, &self.lexical_query(&terms), k)?;
        let top_lexical = candidates.iter().map(|c| c.lexical).fold(0.0f32, f32::max);
        let feedback = self.feedback.read().map_err(|_| RetrieveError::Poisoned)?;
        Ok(candidates
            .into_iter()
            .map(|c| {
                let prior = feedback.get(&c.id).copied().unwrap_or(0.0);
                let features = Features::new(c.lexical, top_lexical, c.semantic, c.background, prior);
                (c.id, features)
            })
            .collect())
    }

    fn lexical_query(&self, terms: &[String]) -> BooleanQuery {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in terms {
            for (field, boost) in [(f.question, self.boosts.question), (f.title, self.boosts.title), (f.body, self.boosts.body)] {
                let query = TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::WithFreqs);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), boost))));
            }
        }
        BooleanQuery::new(clauses)
    }

    /// Candidates by words, then by meaning, each side scored on the other too.
    fn gather(&self, searcher: &tantivy::Searcher, query: &str, lexical: &BooleanQuery, k: usize) -> Result<Vec<Candidate>> {
        let f = self.fields;
        if query.trim().is_empty() {
            return Ok(Vec::new());
        }
        // On this thread: the engine keeps a team of worker threads per calling thread, so a
        // thread spawned per query would build a new team every time.
        let vector = self.semantic.as_ref().map(|s| s.embed_query(query));
        let top = searcher.search(lexical, &TopDocs::with_limit(CANDIDATES.max(k)).order_by_score());
        let mut candidates: Vec<Candidate> = Vec::new();
        for (score, address) in top? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let id = doc.get_first(f.id).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            candidates.push(Candidate {
                id,
                lexical: score,
                semantic: None,
                background: Similarity::default(),
                address: Some(address),
            });
        }
        if let (Some(semantic), Some(vector)) = (&self.semantic, vector) {
            let vector = vector?;
            let dense = semantic.vectors.read().map_err(|_| RetrieveError::Poisoned)?;
            let lexical_ids: Vec<&str> = candidates.iter().map(|c| c.id.as_str()).collect();
            let (found, items) = dense.search(&vector, CANDIDATES.max(k), &lexical_ids);
            let background = semantic.background(&vector, items);
            drop(dense);
            let mut by_id: HashMap<String, Similarity> = found.into_iter().collect();
            for candidate in &mut candidates {
                candidate.semantic = by_id.remove(&candidate.id);
                candidate.background = background;
            }
            let mut rest: Vec<(String, Similarity)> = by_id.into_iter().collect();
            rest.sort_by(|a, b| b.1.best().total_cmp(&a.1.best()).then_with(|| a.0.cmp(&b.0)));
            for (id, similarity) in rest {
                candidates.push(Candidate { id, lexical: 0.0, semantic: Some(similarity), background, address: None });
            }
        }
        Ok(candidates)
    }

    /// The `k` items that best match `query`, best first, each scoring at least the minimum.
    pub fn search(&self, query: &str, k: usize) -> Result<Vec<Hit>> {
        let (terms, surfaces) = query_terms(query);
        if k == 0 || query.trim().is_empty() {
            return Ok(Vec::new());
        }
        let f = self.fields;
        let searcher = self.reader.searcher();
        let weighted = [(f.question, self.boosts.question), (f.title, self.boosts.title), (f.body, self.boosts.body)];
        let lexical_query = self.lexical_query(&terms);
        let candidates = self.gather(&searcher, query, &lexical_query, k)?;
        if candidates.is_empty() {
            return Ok(Vec::new());
        }

        let top_lexical = candidates.iter().map(|c| c.lexical).fold(0.0f32, f32::max);
        let calibration = self.calibrations.for_query(query);
        let feedback = self.feedback.read().map_err(|_| RetrieveError::Poisoned)?;
        let mut scored: Vec<(f32, f32, Candidate)> = candidates
            .into_iter()
            .map(|c| {
                let prior = feedback.get(&c.id).copied().unwrap_or(0.0);
                let features = Features::new(c.lexical, top_lexical, c.semantic, c.background, prior);
                (calibration.fusion.probability(&features), prior, c)
            })
            .collect();
        drop(feedback);
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.id.cmp(&b.2.id)));
        let mut scores: Vec<f32> = scored.iter().map(|s| s.0).collect();
        calibration.finish(&mut scores);
        for (entry, score) in scored.iter_mut().zip(scores) {
            entry.0 = score;
        }
        scored.retain(|(score, _, _)| *score >= self.min_score);
        scored.truncate(k);
        if scored.is_empty() {
            return Ok(Vec::new());
        }

        // Inverse document frequency of each query term in each field, to weigh which part of a
        // hit explains it best.
        let num_docs = searcher.num_docs() as f32;
        let mut idf = Vec::with_capacity(weighted.len());
        for &(field, boost) in &weighted {
            let mut per_term = Vec::with_capacity(terms.len());
            for term in &terms {
                let n = searcher.doc_freq(&Term::from_field_text(field, term))? as f32;
                per_term.push(if n > 0.0 { boost * (1.0 + (num_docs - n + 0.5) / (n + 0.5)).ln() } else { 0.0 });
            }
            idf.push(per_term);
        }
        // Passages are cut and highlighted around the words that say something, never around
        // particles or pronouns.
        let explains: Vec<bool> = surfaces.iter().map(|w| seatmate_text::is_content_word(&seatmate_text::normalize(w))).collect();
        let content: Vec<String> = terms.iter().zip(&explains).filter(|(_, e)| **e).map(|(t, _)| t.clone()).collect();
        let highlight_query = self.lexical_query(&content);
        let mut snippets = Vec::with_capacity(weighted.len());
        for &(field, _) in &weighted {
            let mut generator = SnippetGenerator::create(&searcher, &highlight_query, field)?;
            generator.set_max_num_chars(PASSAGE_CHARS);
            snippets.push(generator);
        }

        let mut hits = Vec::with_capacity(scored.len());
        for (score, prior, candidate) in scored {
            let address = match candidate.address {
                Some(address) => address,
                None => {
                    let by_id = TermQuery::new(Term::from_field_text(f.id, &candidate.id), IndexRecordOption::Basic);
                    match searcher.search(&by_id, &TopDocs::with_limit(1).order_by_score())?.first() {
                        Some((_, address)) => *address,
                        // Embedded but not committed yet: visible after the next commit.
                        None => continue,
                    }
                }
            };
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let kind = text(f.kind).parse().unwrap_or(KnowledgeKind::Faq);

            // The single value (one phrasing, the title, one body part) whose terms weigh most.
            let mut best: Option<(f32, usize, String)> = None;
            let mut found: HashSet<usize> = HashSet::new();
            for (slot, &(field, _)) in weighted.iter().enumerate() {
                for value in doc.get_all(field).filter_map(|v| v.as_str()) {
                    let present: HashSet<String> = analyze(value).into_iter().map(|t| t.text).collect();
                    let mut weight = 0.0;
                    for (i, term) in terms.iter().enumerate() {
                        if present.contains(term) {
                            weight += idf[slot][i];
                            found.insert(i);
                        }
                    }
                    if weight > 0.0 && best.as_ref().is_none_or(|(w, _, _)| weight > *w) {
                        best = Some((weight, slot, value.to_string()));
                    }
                }
            }
            // Found by meaning more than by words: show the phrasing or passage that was closest.
            let by_meaning = candidate.semantic.filter(|_| best.is_none() || candidate.lexical == 0.0);
            let (slot, value) = match (best, by_meaning) {
                (_, Some(similarity)) => {
                    let (field, ordinal, slot) = if similarity.question >= similarity.passage {
                        (f.question, similarity.question_ordinal, 0)
                    } else {
                        (f.body, similarity.passage_ordinal, 2)
                    };
                    let value = doc.get_all(field).filter_map(|v| v.as_str()).nth(usize::from(ordinal));
                    match value {
                        Some(value) => (slot, value.to_string()),
                        None => (1, text(f.title)),
                    }
                }
                (Some((_, slot, value)), None) => (slot, value),
                (None, None) => (1, text(f.title)),
            };
            let matched_field = match (slot, kind) {
                (0, _) => MatchedField::Question,
                (1, _) => MatchedField::Title,
                (_, KnowledgeKind::Faq) => MatchedField::Answer,
                _ => MatchedField::Body,
            };
            let snippet = snippets[slot].snippet(&value);
            let (passage, highlights) = if snippet.is_empty() {
                (truncate(&value, PASSAGE_CHARS), Vec::new())
            } else {
                let fragment = snippet.fragment();
                match value.find(fragment).filter(|_| value.chars().count() <= PASSAGE_CHARS) {
                    // a short value is shown whole, its highlights moved to where the fragment sits
                    Some(at) => {
                        let ranges: Vec<_> = snippet.highlighted().iter().map(|r| r.start + at..r.end + at).collect();
                        (value.clone(), char_ranges(&value, &ranges))
                    }
                    None => (fragment.to_string(), char_ranges(fragment, snippet.highlighted())),
                }
            };
            let answer = match kind {
                KnowledgeKind::Article if slot == 2 => value.clone(),
                KnowledgeKind::Article => doc.get_first(f.body).and_then(|v| v.as_str()).unwrap_or_default().to_string(),
                _ => text(f.answer),
            };
            let mut matched: Vec<usize> = found.into_iter().filter(|&i| explains[i]).collect();
            matched.sort_unstable();
            hits.push(Hit {
                id: candidate.id,
                key: text(f.key),
                kind,
                title: text(f.title),
                score,
                lexical_score: candidate.lexical,
                semantic: candidate.semantic,
                matched_field,
                passage,
                answer: truncate(&answer, ANSWER_CHARS),
                highlights,
                matched_terms: matched.into_iter().map(|i| surfaces[i].clone()).collect(),
                feedback: prior,
            });
        }
        Ok(hits)
    }

    /// The tantivy index, for inspection.
    pub fn tantivy(&self) -> &Index {
        &self.index
    }
}

/// A query's distinct analysed terms, in order, each with the words the query wrote for it
/// (`cancelled` for `cancel`, `漫遊` for `漫游`).
fn query_terms(query: &str) -> (Vec<String>, Vec<String>) {
    let mut terms: Vec<String> = Vec::new();
    let mut surfaces: Vec<String> = Vec::new();
    for term in analyze(query) {
        if !terms.contains(&term.text) {
            surfaces.push(query.get(term.from..term.to).unwrap_or(&term.text).to_string());
            terms.push(term.text);
        }
    }
    (terms, surfaces)
}

/// A candidate before fusion.
struct Candidate {
    id: String,
    lexical: f32,
    semantic: Option<Similarity>,
    /// The query's mean similarity to all items (see [`DenseIndex::search`]).
    background: Similarity,
    address: Option<tantivy::DocAddress>,
}

/// An article's Markdown cut at paragraph ends into sections of about [`SECTION_CHARS`].
fn sections(markdown: &str) -> Vec<&str> {
    let mut sections = Vec::new();
    let (mut start, mut offset) = (0, 0);
    for line in markdown.split_inclusive('\n') {
        // A heading starts a section; a blank line may end one.
        let end = if line.starts_with('#') { offset } else { offset + line.len() };
        offset += line.len();
        let boundary = line.starts_with('#') || line.trim().is_empty();
        if boundary && markdown[start..end].chars().count() >= SECTION_CHARS {
            sections.push(markdown[start..end].trim());
            start = end;
        }
    }
    sections.push(markdown[start..].trim());
    sections.retain(|s| !s.is_empty());
    sections
}

/// What an item contributes to the semantic index: how it is asked (phrasings, title) and what
/// answers it (answer, sections, description), with each value's position in its field.
fn segments(item: &KnowledgeItem) -> Vec<(Part, u16, String)> {
    let mut out = Vec::new();
    match &item.body {
        KnowledgeBody::Faq { questions, answer } => {
            for (i, question) in questions.iter().enumerate() {
                out.push((Part::Question, i as u16, question.clone()));
            }
            out.push((Part::Passage, 0, format!("{}\n{}", item.title, answer)));
        }
        KnowledgeBody::Article { markdown } => {
            for (i, section) in sections(markdown).into_iter().enumerate() {
                out.push((Part::Passage, i as u16, format!("{}\n{}", item.title, section)));
            }
        }
        KnowledgeBody::Flow(flow) => {
            out.push((Part::Passage, 0, format!("{}\n{}", item.title, flow.description)));
        }
    }
    out.truncate(MAX_VECTORS);
    out
}

fn truncate(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// Byte ranges in `text` as character offsets, for clients that slice by character; touching or
/// overlapping ranges are merged.
pub fn char_ranges(text: &str, ranges: &[std::ops::Range<usize>]) -> Vec<[usize; 2]> {
    let char_at = |byte: usize| text.char_indices().take_while(|(i, _)| *i < byte).count();
    let mut out: Vec<[usize; 2]> = Vec::new();
    for range in ranges.iter().filter(|r| r.start < r.end && r.end <= text.len()) {
        let [start, end] = [char_at(range.start), char_at(range.end)];
        match out.last_mut() {
            // touching words read as one highlight: 携号|转网 → 携号转网
            Some(last) if start <= last[1] => last[1] = last[1].max(end),
            _ => out.push([start, end]),
        }
    }
    out
}
