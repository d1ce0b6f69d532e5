from fastapi import FastAPI

app = FastAPI(title="fastapi-app")


@app.get("/")
def root() -> dict:
    return {"message": "hello from fastapi-app"}
