"""Standards knowledge: a bilingual clause corpus with clause-exact, keyword and vector search.

>>> from tools.standards import show_clause
>>> show_clause("IATF 16949 10.2.3").title
'Problem solving'
"""

from tools.standards.corpus import Corpus, default_corpus
from tools.standards.models import ClauseHit, ClauseRecord, ClauseRef, SearchArgs, SearchResult
from tools.standards.search import StandardsIndex, Weights, search_standards, show_clause
from tools.standards.store import SyncReport
from tools.standards.topics import clauses_for_topic, topics

__all__ = ["ClauseHit", "ClauseRecord", "ClauseRef", "Corpus", "SearchArgs", "SearchResult",
           "StandardsIndex", "SyncReport", "Weights", "clauses_for_topic", "default_corpus",
           "search_standards", "show_clause", "topics"]
