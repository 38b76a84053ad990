# Build x2desk-<version>-setup.exe on Windows: the one-folder app, its self-test, then Inno Setup.
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build-installer.ps1
# Needs: uv (or a venv with the dev group installed) and Inno Setup 6 (iscc.exe on PATH).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
uv sync --locked
.venv\Scripts\pyinstaller.exe --noconfirm build.spec
# The GUI executable has no console; the console twin prints the self-test.
dist\x2desk\x2desk-cli.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "the frozen self-test failed" }
$version = .venv\Scripts\python.exe -c "import x2desk; print(x2desk.__version__)"
iscc.exe /DAppVersion=$version packaging\windows\x2desk.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "dist\x2desk-$version-setup.exe"
