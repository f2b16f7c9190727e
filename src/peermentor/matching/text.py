"""Goal statements as short vectors whose dot product is their text similarity.

TF-IDF on word 1-2 grams and character 3-5 grams (so "manage"/"management" meet),
cosine. Up to `EXACT_DOCS` distinct statements the vectors are an exact factor of the
TF-IDF Gram matrix, so their dot products *are* the TF-IDF cosines. Beyond that they
are a TruncatedSVD (latent semantic) reduction to `DIM` dimensions: the scores stay a
cheap matrix product at 100,000 people, at the price of an approximate cosine; the
engine clips it at 0 (see the "relu" piece) so the criterion stays in [0, 1].
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

# scikit-learn is imported where it is used: it is a second of every command's start
# (the CLI loads this module through services.matching) and only a run needs it.

DIM = 48
EXACT_DOCS = DIM
SVD_SEED = 0  # a constant, so the same cohort always gets the same vectors
_WORD = re.compile(r"\w+")


SVD_SAMPLE = 4000  # the reduction is fitted on at most this many statements


def _normalise_text(text: str) -> str:
    return " ".join(text.lower().split())


def _csr(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    m = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    m.sum_duplicates()
    return m


def _char_ngrams(token: str) -> list[str]:
    padded = f" {token} "
    return [padded[i : i + n] for n in range(3, 6) for i in range(len(padded) - n + 1)]


def tfidf_matrix(docs: list[str]) -> sp.csr_matrix:
    """TF-IDF of word 1-2 grams and, separately, character 3-5 grams within words;
    each part L2-normalised, then the two side by side, normalised again.

    Words are numbered once and bigrams are pairs of numbers, and character n-grams
    are counted per distinct word and summed through the word-count matrix: the same
    counts as scanning every statement, at a fraction of the cost.
    """
    tokens = [_WORD.findall(d) for d in docs]
    vocab: dict[str, int] = {}
    ids = np.array([vocab.setdefault(t, len(vocab)) for d in tokens for t in d], np.int64)
    doc = np.repeat(np.arange(len(docs)), [len(t) for t in tokens])
    nv = max(1, len(vocab))
    unigrams = _csr(doc, ids, (len(docs), nv))
    follows = np.flatnonzero(doc[1:] == doc[:-1])
    pair_keys, pair_ids = np.unique(ids[follows] * nv + ids[follows + 1], return_inverse=True)
    words = sp.hstack(
        [unigrams, _csr(doc[follows], pair_ids.ravel(), (len(docs), max(1, len(pair_keys))))]
    ).tocsr()
    gram_vocab: dict[str, int] = {}
    by_id = sorted(vocab, key=vocab.__getitem__)
    grams_of = [[gram_vocab.setdefault(g, len(gram_vocab)) for g in _char_ngrams(t)] for t in by_id]
    g_rows = np.repeat(np.arange(len(by_id)), [len(g) for g in grams_of])
    g_cols = np.array([g for gs in grams_of for g in gs], np.int64)
    grams = _csr(g_rows, g_cols, (nv, max(1, len(gram_vocab))))
    chars = sp.csr_matrix(unigrams @ grams)
    from sklearn.preprocessing import normalize

    parts = [_sublinear_tfidf(m, normalize) for m in (words, chars)]
    return sp.csr_matrix(normalize(sp.hstack(parts).tocsr()))


def _sublinear_tfidf(counts: sp.csr_matrix, normalize: Any) -> sp.csr_matrix:
    """scikit-learn's TfidfTransformer(sublinear_tf=True).fit_transform(counts), step
    for step (smoothed idf, 1 + log tf, L2 rows), so the very same numbers, without
    its input checks and copies (a third of the text features at 100,000 people) or
    the import of sklearn.feature_extraction."""
    docs, terms = counts.shape
    df = np.bincount(counts.indices, minlength=terms).astype(np.float64)
    df += 1.0
    idf = np.full_like(df, fill_value=docs + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    x = counts.copy()
    np.log(x.data, x.data)
    x.data += 1.0
    x.data *= idf[x.indices]
    return sp.csr_matrix(normalize(x, norm="l2", copy=False))


def goal_text_embedding(statements: Sequence[str]) -> np.ndarray:
    """Rows of unit length (zero for an empty statement), at most DIM columns."""
    texts = [_normalise_text(t) for t in statements]
    # Statements repeat (templates, blanks); embed each distinct one once.
    distinct = sorted({t for t in texts if t})
    out = np.zeros((len(texts), 1))
    if not distinct:
        return out
    if len(distinct) == 1:
        return np.array([[1.0] if t else [0.0] for t in texts])
    x = tfidf_matrix(distinct)
    if len(distinct) <= EXACT_DOCS:
        # Gram = U diag(s²) Uᵀ; rows of U·s reproduce every cosine exactly.
        gram = (x @ x.T).toarray()
        vals, vecs = np.linalg.eigh(gram)
        keep = vals > 1e-10
        emb = vecs[:, keep] * np.sqrt(vals[keep])
    else:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.preprocessing import normalize

        # Fit on an evenly spread, deterministic sample; project everyone.
        step = max(1, len(distinct) // SVD_SAMPLE)
        svd = TruncatedSVD(n_components=min(DIM, x.shape[1] - 1), n_iter=2, random_state=SVD_SEED)
        svd.fit(x[::step])
        emb = normalize(svd.transform(x))
    where = {t: i for i, t in enumerate(distinct)}
    out = np.zeros((len(texts), emb.shape[1]))
    for r, t in enumerate(texts):
        if t:
            out[r] = emb[where[t]]
    return out
