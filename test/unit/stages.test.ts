import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/dockerfile/document';
import { installLibraryPatches } from '../../server/src/patches';

// What every host does before it parses (patches/index.ts).
installLibraryPatches();

const osOf = (text: string) => parseDocument({ uri: 'file:///x', version: 1, text }).stages.map((s) => s.os);

test('a stage is Windows from its image, an ARG default, a parent stage, --platform, SHELL or the backtick escape', () => {
  assert.deepEqual(osOf('FROM mcr.microsoft.com/windows/servercore:ltsc2022'), ['windows']);
  assert.deepEqual(osOf('FROM MCR.microsoft.com/Windows/NanoServer:1809'), ['windows']);
  assert.deepEqual(osOf('FROM microsoft/windowsservercore'), ['windows']);
  assert.deepEqual(osOf('FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022'), ['windows']);
  assert.deepEqual(osOf('FROM golang:1.22-windowsservercore-ltsc2022'), ['windows']);
  assert.deepEqual(osOf('FROM mcr.microsoft.com/powershell:lts-windowsserver-ltsc2022'), ['windows']);
  assert.deepEqual(osOf('ARG B=mcr.microsoft.com/windows/server:ltsc2025\nFROM $B AS b\nFROM b\nFROM alpine'), [
    'windows',
    'windows',
    'unknown',
  ]);
  assert.deepEqual(
    osOf('FROM --platform=windows/amd64 myimage\nFROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:8.0'),
    ['windows', 'linux'],
  );
  assert.deepEqual(osOf('FROM myimage\nSHELL ["powershell", "-Command"]'), ['windows']);
  assert.deepEqual(osOf('FROM myimage\nSHELL ["pwsh", "-Command"]'), ['unknown'], 'pwsh runs on Linux too');
  assert.deepEqual(osOf('# escape=`\nFROM myimage'), ['windows']);
});

test('Linux images stay non-Windows', () => {
  assert.deepEqual(osOf('FROM mcr.microsoft.com/dotnet/sdk:8.0\nFROM ubuntu:24.04\nFROM golang:1.22-alpine'), [
    'unknown',
    'unknown',
    'unknown',
  ]);
  assert.deepEqual(osOf('FROM ${UNSET}'), ['unknown']);
});

test('stageAt finds the stage of a line', () => {
  const doc = parseDocument({ uri: 'file:///x', version: 1, text: 'ARG A=1\nFROM a AS one\nRUN x\nFROM b\nRUN y\n' });
  assert.equal(doc.stageAt(0), undefined);
  assert.equal(doc.stageAt(2)?.name, 'one');
  assert.equal(doc.stageAt(4)?.index, 1);
});

test('stages carry what the catalogue knows of their image, through ARGs and parent stages', () => {
  const doc = parseDocument({
    uri: 'file:///x',
    version: 1,
    text: 'ARG TAG=1809\nFROM mcr.microsoft.com/windows/nanoserver:${TAG} AS nano\nFROM nano\nFROM mcr.microsoft.com/dotnet/aspnet:8.0-windowsservercore-ltsc2022\nFROM microsoft/windowsservercore\nFROM alpine',
  });
  const [nano, child, aspnet, legacy, alpine] = doc.stages.map((s) => s.catalogue);
  assert.equal(nano.family, 'nanoserver');
  assert.equal(nano.tag?.version?.id, 'ltsc2019');
  assert.equal(child.tag?.version?.build, 17763);
  assert.equal(aspnet.family, 'servercore');
  assert.equal(aspnet.tag?.version?.id, 'ltsc2022');
  assert.equal(legacy.legacy?.replacement, 'mcr.microsoft.com/windows/servercore');
  assert.deepEqual(alpine, {});
});
