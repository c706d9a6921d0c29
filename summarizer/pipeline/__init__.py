"""The summarizer's own NLP: sentences, structure, key terms, risks and summaries, with character offsets."""
