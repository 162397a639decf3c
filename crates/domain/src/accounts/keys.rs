//! Account key pairs: every account of this instance signs what it sends with its own
//! RSA-2048 key, and remote servers cache the public half, so a key never changes.

use std::sync::{Mutex, PoisonError};

use rsa::RsaPrivateKey;
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use tokio::sync::oneshot;

use crate::{Error, Result};

/// A key pair being made ahead of need on a thread of its own, which the next
/// [`KeyPair::generate`] takes (see [`KeyPair::prepare_spare`]).
static SPARE: Mutex<Option<oneshot::Receiver<Result<KeyPair>>>> = Mutex::new(None);

/// An RSA key pair in PEM form: PKCS#8 for the private key, SPKI for the public one.
#[derive(Clone)]
pub struct KeyPair {
    pub public_key_pem: String,
    pub private_key_pem: String,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("public_key_pem", &self.public_key_pem)
            .finish_non_exhaustive()
    }
}

impl KeyPair {
    /// Generates a new RSA-2048 key pair, off the async runtime's worker threads;
    /// takes the spare one when [`Self::prepare_spare`] started one.
    pub async fn generate() -> Result<Self> {
        let spare = SPARE.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(spare) = spare
            && let Ok(made) = spare.await
        {
            return made;
        }
        tokio::task::spawn_blocking(Self::generate_blocking)
            .await
            .map_err(|e| Error::Internal(format!("key generation task failed: {e}")))?
    }

    /// Starts making one key pair on a thread of its own, for the next
    /// [`Self::generate`] to take: a new instance needs its instance actor's key
    /// as soon as its tables exist, and making an RSA key takes about a tenth of
    /// a second, which this lets run beside the migrations. Nothing happens when
    /// a spare is already being made.
    pub fn prepare_spare() {
        let mut spare = SPARE.lock().unwrap_or_else(PoisonError::into_inner);
        if spare.is_some() {
            return;
        }
        let (made, taken) = oneshot::channel();
        let started = std::thread::Builder::new()
            .name("spare-key".to_owned())
            .spawn(move || {
                let _ = made.send(Self::generate_blocking());
            });
        if started.is_ok() {
            *spare = Some(taken);
        }
    }

    fn generate_blocking() -> Result<Self> {
        let mut rng = rand::rngs::OsRng;
        let private = RsaPrivateKey::new(&mut rng, 2048)
            .map_err(|e| Error::Internal(format!("RSA key generation failed: {e}")))?;
        let private_key_pem = private
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| Error::Internal(format!("private key encoding failed: {e}")))?
            .to_string();
        let public_key_pem = private
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| Error::Internal(format!("public key encoding failed: {e}")))?;
        Ok(Self {
            public_key_pem,
            private_key_pem,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::RsaPublicKey;
    use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};

    #[tokio::test]
    async fn the_public_key_is_the_private_keys_own() -> Result<()> {
        let pair = KeyPair::generate().await?;
        assert!(
            pair.public_key_pem
                .starts_with("-----BEGIN PUBLIC KEY-----")
        );
        let private = RsaPrivateKey::from_pkcs8_pem(&pair.private_key_pem)
            .map_err(|e| Error::Internal(e.to_string()))?;
        let public = RsaPublicKey::from_public_key_pem(&pair.public_key_pem)
            .map_err(|e| Error::Internal(e.to_string()))?;
        assert_eq!(private.to_public_key(), public);
        assert!(!format!("{pair:?}").contains("PRIVATE"));
        Ok(())
    }

    #[tokio::test]
    async fn a_spare_key_is_taken_once() -> Result<()> {
        KeyPair::prepare_spare();
        let first = KeyPair::generate().await?;
        let second = KeyPair::generate().await?;
        assert_ne!(first.public_key_pem, second.public_key_pem);
        Ok(())
    }
}
