"""OCR engines behind one interface, model presets and the inference worker."""
