<#
.SYNOPSIS
  Builds the Windows package of intake-app and its installer (Inno Setup 6).

.DESCRIPTION
  Run on a networked build PC (never on the consultation-room PC), from the
  repository root, in PowerShell:

    powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1

  1. creates .venv-win with the given Python (3.11 or newer, 64-bit) and installs the
     locked dependencies and build tools from requirements\dev.txt (exact versions, each
     file checked against its hash: pip install --require-hashes), then the program
     itself without dependencies;
  2. runs packaging\build.py: PyInstaller one-folder build in dist\intake-app
     (intake-app.exe = the program, intake-app-cli.exe = the same for the console);
  3. runs packaging\smoke_test.py: layout, --version, self-test, GUI start and quit;
  4. compiles packaging\windows\intake-app.iss with ISCC.exe into
     dist\intake-app-<version>-setup.exe and writes its SHA-256 beside it
     (check it again on the consultation-room PC before installing).

  Stops at the first failing step with a non-zero exit code.
#>
[CmdletBinding()]
param(
    [string]$Python = "py -3.11",
    [string]$Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    [switch]$SkipSmokeTest,
    [switch]$SkipInstaller
)

$ErrorActionPreference = "Stop"
$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $Root

function Invoke-Step([string]$Title, [scriptblock]$Block) {
    Write-Host "==> $Title"
    & $Block
    if ($LASTEXITCODE -ne 0) { throw "$Title failed (exit $LASTEXITCODE)" }
}

$Venv = Join-Path $Root ".venv-win"
$VenvPython = Join-Path $Venv "Scripts\python.exe"

if (-not (Test-Path $VenvPython)) {
    Invoke-Step "create $Venv" { Invoke-Expression "$Python -m venv `"$Venv`"" }
}
Invoke-Step "install the locked dependencies and build tools (requirements\dev.txt)" {
    & $VenvPython -m pip install --quiet --require-hashes -r requirements\dev.txt
}
Invoke-Step "install the program itself" {
    & $VenvPython -m pip install --quiet --no-deps --no-build-isolation -e .
}

Invoke-Step "PyInstaller one-folder build (packaging\build.py)" {
    & $VenvPython packaging\build.py --clean
}

if (-not $SkipSmokeTest) {
    Invoke-Step "smoke test of the built program (packaging\smoke_test.py)" {
        & $VenvPython packaging\smoke_test.py
    }
}

if ($SkipInstaller) { exit 0 }
if (-not (Test-Path $Iscc)) {
    throw "ISCC.exe not found at ${Iscc} (install Inno Setup 6, or pass -Iscc with its path)"
}
$Version = (& $VenvPython -c "import intake_app; print(intake_app.__version__)").Trim()
Invoke-Step "installer (Inno Setup)" {
    & $Iscc "/DAppVersion=$Version" "/DSourceDir=$Root\dist\intake-app" "/O$Root\dist" `
        packaging\windows\intake-app.iss
}
$Setup = Join-Path $Root "dist\intake-app-$Version-setup.exe"
$Hash = (Get-FileHash -Algorithm SHA256 $Setup).Hash.ToLower()
"$Hash  intake-app-$Version-setup.exe" | Set-Content -Encoding ascii "$Setup.sha256"
Write-Host "built $Setup"
Write-Host "SHA-256 $Hash"
