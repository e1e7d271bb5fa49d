"""Vision evaluation on NEU-DET (``python -m evals.vision``): the training pipeline on a
seeded stratified split, test accuracy, per-class recall, heat-map localisation against
the annotated boxes, training time. The data is read in place and never copied; the
weights stay out of the repository."""
