"""Reading article text: numbers, dates, entities, categories, incidents."""
