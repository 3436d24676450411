"""The person's documents: loaders, chunking, embedder, store, indexer, retriever.

Nothing here imports torch, sentence_transformers or chromadb at module level.
"""
