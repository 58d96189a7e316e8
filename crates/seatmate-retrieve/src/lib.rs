//! Knowledge retrieval for the agent: a full-text index (tantivy, BM25) over FAQs, articles and
//! guided flows, searched with the same words as every other Seatmate engine (`seatmate-text`,
//! plus English stemming), each hit with the passage that matched highlighted and the reason.
//!
//! Question-to-question matching: every phrasing of an FAQ is indexed as a value of the
//! `question` field, boosted above the answer, and the phrasing that best matches the query is the
//! hit's passage.
//!
//! Invariant: pure computation over the items it is given; no store, HTTP or clock. The only I/O
//! is the index directory the caller names in [`KnowledgeIndex::open`].

mod analyzer;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use seatmate_core::{ErrorKind, KnowledgeBody, KnowledgeItem, KnowledgeKind};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use analyzer::{analyze, SeatmateTokenizer, Term as AnalyzedTerm};

/// Memory the index writer may buffer before it flushes a segment.
const WRITER_MEMORY: usize = 50_000_000;
/// Longest highlighted passage, in characters.
const PASSAGE_CHARS: usize = 240;

#[derive(Debug, thiserror::Error)]
pub enum RetrieveError {
    #[error("search index failed")]
    Index(#[from] tantivy::TantivyError),
    #[error("cannot open index directory")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("index writer lock poisoned")]
    Poisoned,
}

impl RetrieveError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            RetrieveError::Directory(_) => ErrorKind::Unavailable,
            RetrieveError::Index(_) | RetrieveError::Poisoned => ErrorKind::Internal,
        }
    }
}

pub type Result<T> = std::result::Result<T, RetrieveError>;

/// Which part of an item a hit matched best.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub id: String,
    pub key: String,
    pub kind: KnowledgeKind,
    pub title: String,
    /// BM25 score summed over fields with their boosts: comparable within one query only.
    pub score: f32,
    pub matched_field: MatchedField,
    /// The best-matching text (for an FAQ question match, the phrasing itself), HTML-escaped,
    /// with `<mark>…</mark>` around matched words.
    pub passage: String,
    /// Query terms (normalised, stemmed) found in the item, in query order.
    pub matched_terms: Vec<String>,
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
}

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
        Ok(KnowledgeIndex { index, reader, writer: Mutex::new(writer), fields, boosts: Boosts::default() })
    }

    pub fn with_boosts(mut self, boosts: Boosts) -> Self {
        self.boosts = boosts;
        self
    }

    /// Adds the items, replacing any earlier version with the same id. Visible after [`commit`].
    ///
    /// [`commit`]: KnowledgeIndex::commit
    pub fn upsert(&self, items: &[KnowledgeItem]) -> Result<()> {
        let writer = self.writer.lock().map_err(|_| RetrieveError::Poisoned)?;
        for item in items {
            writer.delete_term(Term::from_field_text(self.fields.id, &item.id));
            writer.add_document(self.document(item))?;
        }
        Ok(())
    }

    /// Removes the item with this id, if indexed. Visible after [`commit`](KnowledgeIndex::commit).
    pub fn delete(&self, id: &str) -> Result<()> {
        let writer = self.writer.lock().map_err(|_| RetrieveError::Poisoned)?;
        writer.delete_term(Term::from_field_text(self.fields.id, id));
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
            }
            KnowledgeBody::Article { markdown } => doc.add_text(f.body, markdown),
            KnowledgeBody::Flow(flow) => {
                doc.add_text(f.body, &flow.description);
                for step in &flow.steps {
                    doc.add_text(f.body, &step.text);
                }
            }
        }
        doc
    }

    /// The `k` items that best match `query`, best first.
    pub fn search(&self, query: &str, k: usize) -> Result<Vec<Hit>> {
        let mut terms: Vec<String> = Vec::new();
        for term in analyze(query) {
            if !terms.contains(&term.text) {
                terms.push(term.text);
            }
        }
        if terms.is_empty() || k == 0 {
            return Ok(Vec::new());
        }
        let f = self.fields;
        let weighted = [(f.question, self.boosts.question), (f.title, self.boosts.title), (f.body, self.boosts.body)];
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in &terms {
            for &(field, boost) in &weighted {
                let query = TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::WithFreqs);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), boost))));
            }
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(k).order_by_score())?;
        if top.is_empty() {
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
        let mut snippets = Vec::with_capacity(weighted.len());
        for &(field, _) in &weighted {
            let mut generator = SnippetGenerator::create(&searcher, &query, field)?;
            generator.set_max_num_chars(PASSAGE_CHARS);
            snippets.push(generator);
        }

        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
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
                    if best.as_ref().is_none_or(|(w, _, _)| weight > *w) {
                        best = Some((weight, slot, value.to_string()));
                    }
                }
            }
            let (slot, value) = best.map_or((1, text(f.title)), |(_, slot, value)| (slot, value));
            let matched_field = match (slot, kind) {
                (0, _) => MatchedField::Question,
                (1, _) => MatchedField::Title,
                (_, KnowledgeKind::Faq) => MatchedField::Answer,
                _ => MatchedField::Body,
            };
            let mut snippet = snippets[slot].snippet(&value);
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            let passage = if snippet.is_empty() { escape(&truncate(&value, PASSAGE_CHARS)) } else { snippet.to_html() };
            let mut matched: Vec<usize> = found.into_iter().collect();
            matched.sort_unstable();
            hits.push(Hit {
                id: text(f.id),
                key: text(f.key),
                kind,
                title: text(f.title),
                score,
                matched_field,
                passage,
                matched_terms: matched.into_iter().map(|i| terms[i].clone()).collect(),
            });
        }
        Ok(hits)
    }

    /// The tantivy index, for inspection.
    pub fn tantivy(&self) -> &Index {
        &self.index
    }
}

fn truncate(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
