//! One typed configuration: defaults < TOML file < `SEATMATE_*` environment < command-line flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database: String,
    /// Empty: live events stay in this process. `nats://…`: they go through NATS JetStream to every replica.
    pub nats: String,
    pub listen: SocketAddr,
    pub metrics_listen: SocketAddr,
    pub log_level: String,
    pub log_format: String,
    pub session_hours: i64,
    pub secure_cookies: bool,
    /// Empty: the training room's customer speaks real customer turns. `http://host:port/v1`: an
    /// OpenAI-compatible endpoint writes its lines (`{llm_url}/chat/completions`).
    pub llm_url: String,
    pub llm_model: String,
    /// Sent as a bearer token; empty for none.
    pub llm_api_key: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("seatmate-data"),
            database: String::new(),
            nats: String::new(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            metrics_listen: SocketAddr::from(([127, 0, 0, 1], 9464)),
            log_level: "info".into(),
            log_format: "text".into(),
            session_hours: 12,
            secure_cookies: false,
            llm_url: String::new(),
            llm_model: String::new(),
            llm_api_key: String::new(),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database", &seatmate_store::redact_url(&self.database))
            .field("nats", &seatmate_store::redact_url(&self.nats))
            .field("listen", &self.listen)
            .field("metrics_listen", &self.metrics_listen)
            .field("log_level", &self.log_level)
            .field("log_format", &self.log_format)
            .field("session_hours", &self.session_hours)
            .field("secure_cookies", &self.secure_cookies)
            .field("llm_url", &seatmate_store::redact_url(&self.llm_url))
            .field("llm_model", &self.llm_model)
            .field("llm_api_key", &redact_secret(&self.llm_api_key))
            .finish()
    }
}

pub const DEFAULT_FILE: &str = r#"# Seatmate configuration. Every key can also be set as SEATMATE_<KEY> in the environment
# (e.g. SEATMATE_LISTEN) or as a flag (--listen); flags win over the environment, which wins over this file.

# Where the embedded SQLite database and on-disk indices live.
data_dir = "seatmate-data"

# Empty: SQLite in data_dir. For several replicas: "postgres://user:password@host:5432/seatmate".
database = ""

# Empty: live events stay in this process. For several replicas: "nats://host:4222" (NATS with
# JetStream), so a desk connected to any replica sees every live conversation.
nats = ""

# The web UI and API.
listen = "127.0.0.1:8080"

# Prometheus metrics (/metrics); keep it on loopback unless a scraper needs it.
metrics_listen = "127.0.0.1:9464"

# error, warn, info, debug or trace; transcript text is only ever logged at debug and below.
log_level = "info"

# "text" for people, "json" for log collectors.
log_format = "text"

# How long a login lasts, in hours.
session_hours = 12

# Mark the session cookie Secure; turn on when Seatmate is served over HTTPS.
secure_cookies = false

# The training room's simulated customer speaks real customer turns from the history. To have a
# language model write its lines instead (from the case, the customer's mood and the dialogue),
# name an OpenAI-compatible endpoint: requests go to <llm_url>/chat/completions, e.g.
# "http://127.0.0.1:8000/v1" (llama.cpp, vLLM, Ollama, an in-house gateway). Plain HTTP only: put
# a TLS-terminating proxy in front of an https endpoint. When it fails, real turns answer.
llm_url = ""
llm_model = ""
# Sent as "Authorization: Bearer <key>"; better set as SEATMATE_LLM_API_KEY than written here.
llm_api_key = ""
"#;

/// Flags that override the configuration, for any command.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct Overrides {
    /// Configuration file (default: ./seatmate.toml when it exists)
    #[arg(long, global = true, env = "SEATMATE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Folder for the SQLite database and indices
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://…
    #[arg(long, global = true)]
    pub database: Option<String>,
    /// NATS URL (nats://…) for live events across replicas
    #[arg(long, global = true)]
    pub nats: Option<String>,
    /// Address for the web UI and API
    #[arg(long, global = true)]
    pub listen: Option<SocketAddr>,
    /// Address for Prometheus metrics
    #[arg(long, global = true)]
    pub metrics_listen: Option<SocketAddr>,
    /// Log level (error, warn, info, debug, trace)
    #[arg(long, global = true)]
    pub log_level: Option<String>,
}

impl Config {
    pub fn load(overrides: &Overrides, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Config> {
        let path = overrides.config.clone().or_else(|| Some(PathBuf::from("seatmate.toml")).filter(|p| p.exists()));
        let mut config = match &path {
            Some(path) => Config::from_file(path)?,
            None => Config::default(),
        };
        config.apply_env(env)?;
        if let Some(v) = &overrides.data_dir {
            config.data_dir = v.clone();
        }
        if let Some(v) = &overrides.database {
            config.database = v.clone();
        }
        if let Some(v) = &overrides.nats {
            config.nats = v.clone();
        }
        if let Some(v) = overrides.listen {
            config.listen = v;
        }
        if let Some(v) = overrides.metrics_listen {
            config.metrics_listen = v;
        }
        if let Some(v) = &overrides.log_level {
            config.log_level = v.clone();
        }
        config.validate()?;
        Ok(config)
    }

    fn from_file(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read config file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("invalid config file {}", path.display()))
    }

    fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        fn parsed<T: std::str::FromStr>(key: &str, value: String) -> anyhow::Result<T>
        where
            T::Err: std::fmt::Display,
        {
            value.trim().parse().map_err(|e| anyhow::anyhow!("invalid {key}={value:?}: {e}"))
        }
        if let Some(v) = env("SEATMATE_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = env("SEATMATE_DATABASE") {
            self.database = v;
        }
        if let Some(v) = env("SEATMATE_NATS") {
            self.nats = v;
        }
        if let Some(v) = env("SEATMATE_LISTEN") {
            self.listen = parsed("SEATMATE_LISTEN", v)?;
        }
        if let Some(v) = env("SEATMATE_METRICS_LISTEN") {
            self.metrics_listen = parsed("SEATMATE_METRICS_LISTEN", v)?;
        }
        if let Some(v) = env("SEATMATE_LOG_LEVEL") {
            self.log_level = v;
        }
        if let Some(v) = env("SEATMATE_LOG_FORMAT") {
            self.log_format = v;
        }
        if let Some(v) = env("SEATMATE_SESSION_HOURS") {
            self.session_hours = parsed("SEATMATE_SESSION_HOURS", v)?;
        }
        if let Some(v) = env("SEATMATE_SECURE_COOKIES") {
            self.secure_cookies = parsed("SEATMATE_SECURE_COOKIES", v)?;
        }
        if let Some(v) = env("SEATMATE_LLM_URL") {
            self.llm_url = v;
        }
        if let Some(v) = env("SEATMATE_LLM_MODEL") {
            self.llm_model = v;
        }
        if let Some(v) = env("SEATMATE_LLM_API_KEY") {
            self.llm_api_key = v;
        }
        Ok(())
    }

    fn validate(&self) -> anyhow::Result<()> {
        if !["text", "json"].contains(&self.log_format.as_str()) {
            bail!("log_format must be \"text\" or \"json\", not {:?}", self.log_format);
        }
        if self.session_hours < 1 {
            bail!("session_hours must be at least 1");
        }
        if !self.llm_url.trim().is_empty() && self.llm_model.trim().is_empty() {
            bail!("llm_url is set: name the model too (llm_model)");
        }
        Ok(())
    }

    /// The training room's language model, when `llm_url` is set.
    pub fn llm(&self) -> Option<seatmate_learn::LlmConfig> {
        if self.llm_url.trim().is_empty() {
            return None;
        }
        let key = Some(self.llm_api_key.clone()).filter(|k| !k.trim().is_empty());
        Some(seatmate_learn::LlmConfig::new(&self.llm_url, &self.llm_model, key))
    }

    /// The configuration as `seatmate config` prints it: passwords and keys hidden.
    pub fn redacted(&self) -> Config {
        Config {
            database: seatmate_store::redact_url(&self.database),
            nats: seatmate_store::redact_url(&self.nats),
            llm_url: seatmate_store::redact_url(&self.llm_url),
            llm_api_key: redact_secret(&self.llm_api_key),
            ..self.clone()
        }
    }

    /// The database URL: the configured one, or SQLite inside `data_dir`.
    pub fn database_url(&self) -> String {
        if self.database.is_empty() {
            format!("sqlite://{}", self.data_dir.join("seatmate.db").display())
        } else {
            self.database.clone()
        }
    }
}

fn redact_secret(secret: &str) -> String {
    if secret.is_empty() {
        String::new()
    } else {
        "***".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_file_parses_to_the_defaults() {
        let parsed: Config = toml::from_str(DEFAULT_FILE).unwrap();
        assert_eq!(format!("{parsed:?}"), format!("{:?}", Config::default()));
    }

    #[test]
    fn flags_beat_env_beat_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("seatmate.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:1000\"\nlog_level = \"warn\"\ndatabase = \"postgres://u:secret@h/db\"\n")
            .unwrap();
        let env = |key: &str| (key == "SEATMATE_LISTEN").then(|| "127.0.0.1:2000".to_string());
        let overrides = Overrides { config: Some(file.clone()), ..Default::default() };
        let config = Config::load(&overrides, env).unwrap();
        assert_eq!((config.listen.port(), config.log_level.as_str()), (2000, "warn"));
        assert!(!format!("{config:?}").contains("secret"), "the password is redacted");
        let overrides = Overrides { config: Some(file), listen: Some("127.0.0.1:3000".parse().unwrap()), ..Default::default() };
        assert_eq!(Config::load(&overrides, env).unwrap().listen.port(), 3000);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "lisen = \"x\"\n").unwrap();
        let err = Config::load(&Overrides { config: Some(file), ..Default::default() }, |_| None).unwrap_err();
        assert!(format!("{err:#}").contains("lisen"), "{err:#}");
        let err = Config::load(&Overrides::default(), |k| (k == "SEATMATE_SESSION_HOURS").then(|| "x".into())).unwrap_err();
        assert!(err.to_string().contains("SEATMATE_SESSION_HOURS"));
        let err = Config::load(&Overrides::default(), |k| (k == "SEATMATE_LLM_URL").then(|| "http://h/v1".into())).unwrap_err();
        assert!(err.to_string().contains("llm_model"), "{err}");
    }

    #[test]
    fn the_language_model_is_off_by_default_and_its_key_is_hidden() {
        assert!(Config::default().llm().is_none());
        let env = |key: &str| match key {
            "SEATMATE_LLM_URL" => Some("http://127.0.0.1:8000/v1".to_string()),
            "SEATMATE_LLM_MODEL" => Some("qwen2.5-7b-instruct".to_string()),
            "SEATMATE_LLM_API_KEY" => Some("sk-secret".to_string()),
            _ => None,
        };
        let config = Config::load(&Overrides::default(), env).unwrap();
        let llm = config.llm().unwrap();
        assert_eq!(
            (llm.base_url.as_str(), llm.model.as_str(), llm.api_key.as_deref()),
            ("http://127.0.0.1:8000/v1", "qwen2.5-7b-instruct", Some("sk-secret"))
        );
        assert!(!format!("{config:?}").contains("sk-secret"));
        assert!(!toml::to_string_pretty(&config.redacted()).unwrap().contains("sk-secret"));
    }
}
