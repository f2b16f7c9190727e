"""Goal statements as short vectors whose dot product is their text similarity.

TF-IDF on word 1-2 grams and character 3-5 grams (so "manage"/"management" meet),
cosine. Up to `EXACT_DOCS` distinct statements the vectors are an exact factor of the
TF-IDF Gram matrix, so their dot products *are* the TF-IDF cosines. Beyond that they
are a TruncatedSVD (latent semantic) reduction to `DIM` dimensions: the scores stay a
cheap matrix product at 100,000 people, at the price of an approximate cosine; the
engine clips it at 0 (see the "relu" piece) so the criterion stays in [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

DIM = 48
EXACT_DOCS = DIM
SVD_SEED = 0  # a constant, so the same cohort always gets the same vectors


def _normalise_text(text: str) -> str:
    return " ".join(text.lower().split())


def goal_text_embedding(statements: Sequence[str]) -> np.ndarray:
    """Rows of unit length (zero for an empty statement), at most DIM columns."""
    texts = [_normalise_text(t) for t in statements]
    # Statements repeat (templates, blanks); fit and embed each distinct one once.
    distinct = sorted({t for t in texts if t})
    out = np.zeros((len(texts), 1))
    if not distinct:
        return out
    if len(distinct) == 1:
        return np.array([[1.0] if t else [0.0] for t in texts])
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                           max_features=50_000)
    x = sp.hstack([word.fit_transform(distinct), char.fit_transform(distinct)]).tocsr()
    x = normalize(x)
    if len(distinct) <= EXACT_DOCS:
        # Gram = U diag(s²) Uᵀ; rows of U·s reproduce every cosine exactly.
        gram = (x @ x.T).toarray()
        vals, vecs = np.linalg.eigh(gram)
        keep = vals > 1e-10
        emb = vecs[:, keep] * np.sqrt(vals[keep])
    else:
        svd = TruncatedSVD(n_components=DIM, random_state=SVD_SEED)
        emb = normalize(svd.fit_transform(x))
    where = {t: i for i, t in enumerate(distinct)}
    out = np.zeros((len(texts), emb.shape[1]))
    for r, t in enumerate(texts):
        if t:
            out[r] = emb[where[t]]
    return out
