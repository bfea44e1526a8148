"""A demo chat server: a Hub model, a hosted model behind a key, and a public share link."""
import gradio as gr
from openai import OpenAI
from transformers import pipeline

# A key in the source is in every clone and every fork.
client = OpenAI(api_key="sk-proj-Hq3vLx9TzW2mKp7RbN4cYd8FsJ1gUe6AaQo5VrXt0BwEyZiC")

# No revision: whatever the repository's main branch holds at the next start, custom code included.
summarizer = pipeline("summarization", model="facebook/bart-large-cnn", trust_remote_code=True)


def answer(message, history):
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": message}])
    return summarizer(reply.choices[0].message.content)[0]["summary_text"]


# share=True publishes the app on a public gradio.live address for anyone with the link.
gr.ChatInterface(answer).launch(share=True)
